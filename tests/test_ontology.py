"""The ontology (ontology/dangjian.ttl) and the SHACL shapes (ontology/shapes.ttl).

The ontology must hold every term of the graph contract with labels in Chinese
and English and a definition, keep the nine entity classes apart (the scorer
follows rdfs:subClassOf), and the shapes must accept a graph written as
docs/graph-model.md says and reject the usual mistakes with a message that
names them.
"""
from __future__ import annotations

from decimal import Decimal
from itertools import permutations

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS

from conftest import ROOT
from kg.validate import (ValidationResult, default_ontology_dir, format_violations,
                         load_ontology, validate_graph)

DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
ID = Namespace("https://w3id.org/dangjian-kg/id/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDO = Namespace("https://schema.org/")
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/dangjian-kg/ontology")

ENTITY_CLASSES = ["AdministrativeUnit", "Place", "Organization", "Program", "Person",
                  "TargetGroup", "Facility", "Platform", "Document"]
CONTRACT_CLASSES = ENTITY_CLASSES + ["Article", "PartyOrganization", "Statistic"]
RELATIONS = ["within", "locatedIn", "subOrganizationOf", "affiliatedWith",
             "implementedIn", "runBy", "targets", "partOf"]
CONTRACT_PROPERTIES = RELATIONS + ["mentionedIn", "value", "unit", "measure", "about"]
LEVELS = ["Province", "Prefecture", "County", "Township", "Village", "SpecialZone"]
PARTY_KINDS = ["PartyCommittee", "PartyWorkingDepartment", "PartyWorkingCommittee",
               "PartyBranch", "PartyGroup"]
ORG_KINDS = ["GovernmentBody", "Enterprise", "SocialOrganization", "VolunteerTeam",
             "MediaOrganization"]
PROGRAM_KINDS = ["Campaign", "Activity", "Mechanism", "System", "Model", "Brand", "Project"]
MODEL_CLASSES = LEVELS + PARTY_KINDS + ORG_KINDS + PROGRAM_KINDS + ["Mention"]
MODEL_PROPERTIES = ["refersTo", "inArticle", "sentence", "divisionCode", "period", "qualifier",
                    "pseudonym", "softwareVersion", "startDate"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    ont, _ = load_ontology(ONTOLOGY_DIR)
    return ont


@pytest.fixture(scope="module")
def everything() -> Graph:
    """All ontology/*.ttl, shapes too, as the scorer loads them."""
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def closure(g: Graph, term: URIRef) -> set[URIRef]:
    """`term` and every class below it (rdfs:subClassOf, owl:equivalentClass both ways),
    the way the scorer gathers the classes of a contract type."""
    seen, todo = {term}, [term]
    while todo:
        t = todo.pop()
        for n in (set(g.subjects(RDFS.subClassOf, t)) | set(g.subjects(OWL.equivalentClass, t))
                  | set(g.objects(t, OWL.equivalentClass))):
            if isinstance(n, URIRef) and n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def property_closure(g: Graph, term: URIRef) -> set[URIRef]:
    seen, todo = {term}, [term]
    while todo:
        t = todo.pop()
        for n in (set(g.subjects(RDFS.subPropertyOf, t)) | set(g.subjects(OWL.equivalentProperty, t))
                  | set(g.objects(t, OWL.equivalentProperty))):
            if isinstance(n, URIRef) and n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def union_members(g: Graph, node) -> set:
    """The classes a domain or range names: one IRI, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return {node}
    lst = g.value(node, OWL.unionOf)
    return set(Collection(g, lst)) if lst is not None else set()


# ------------------------------------------------------------------ the ontology

def test_ontology_parses_with_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")


@pytest.mark.parametrize("name", CONTRACT_CLASSES + MODEL_CLASSES + CONTRACT_PROPERTIES + MODEL_PROPERTIES)
def test_term_has_labels_and_definition(ontology, name):
    term = DJ[name]
    assert (term, RDF.type, None) in ontology, f"dj:{name} is not declared"
    langs = {o.language for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)}
    assert {"zh", "en"} <= langs, f"dj:{name} lacks an rdfs:label @zh or @en"
    definitions = {o.language for o in ontology.objects(term, SKOS.definition)}
    assert "en" in definitions, f"dj:{name} lacks an English skos:definition"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_classes_and_properties_are_typed(ontology):
    for name in CONTRACT_CLASSES + MODEL_CLASSES:
        assert (DJ[name], RDF.type, OWL.Class) in ontology, name
    for name in RELATIONS + ["mentionedIn", "about", "refersTo", "inArticle"]:
        assert (DJ[name], RDF.type, OWL.ObjectProperty) in ontology, name
    for name in ["value", "unit", "measure", "divisionCode", "pseudonym", "period"]:
        assert (DJ[name], RDF.type, OWL.DatatypeProperty) in ontology, name


def test_every_object_property_has_domain_and_range(ontology):
    props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    assert len(props) >= 12
    for p in props:
        domain, range_ = ontology.value(p, RDFS.domain), ontology.value(p, RDFS.range)
        assert domain is not None and range_ is not None, p
        assert union_members(ontology, domain) and union_members(ontology, range_), p


def test_relation_domains_and_ranges_follow_the_guidelines(ontology):
    def dom(p):
        return union_members(ontology, ontology.value(DJ[p], RDFS.domain))

    def rng(p):
        return union_members(ontology, ontology.value(DJ[p], RDFS.range))

    assert dom("within") == rng("within") == {DJ.AdministrativeUnit}
    assert dom("locatedIn") == {DJ.Organization, DJ.Facility, DJ.Place}
    assert rng("locatedIn") == {DJ.AdministrativeUnit}
    assert dom("affiliatedWith") == {DJ.Person}
    assert rng("affiliatedWith") == {DJ.Organization, DJ.AdministrativeUnit}
    assert rng("implementedIn") == {DJ.AdministrativeUnit, DJ.Organization}
    assert rng("runBy") == {DJ.Organization} and rng("targets") == {DJ.TargetGroup}
    assert dom("partOf") == rng("partOf") == {DJ.Program}
    assert rng("mentionedIn") == {DJ.Article}


def test_links_to_standard_vocabularies(ontology):
    assert (DJ.Organization, RDFS.subClassOf, ORG.Organization) in ontology
    assert (DJ.AdministrativeUnit, RDFS.subClassOf, SDO.AdministrativeArea) in ontology
    assert (DJ.Statistic, RDFS.subClassOf, QB.Observation) in ontology
    assert (DJ.Program, RDFS.subClassOf, SDO.Project) in ontology
    assert (DJ.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf) in ontology
    assert (DJ.within, RDFS.subPropertyOf, SDO.containedInPlace) in ontology
    assert (DJ.divisionCode, RDFS.subPropertyOf, SKOS.notation) in ontology
    assert (DJ.mentionedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom) in ontology


def test_party_organization_is_an_organization(everything):
    assert (DJ.PartyOrganization, RDFS.subClassOf, DJ.Organization) in everything
    orgs = closure(everything, DJ.Organization)
    assert {DJ.PartyOrganization} | {DJ[k] for k in PARTY_KINDS + ORG_KINDS} <= orgs
    assert {DJ[k] for k in PARTY_KINDS} <= closure(everything, DJ.PartyOrganization)


def test_levels_are_the_administrative_unit_subclasses(everything):
    assert closure(everything, DJ.AdministrativeUnit) == {DJ.AdministrativeUnit} | {DJ[x] for x in LEVELS}
    assert closure(everything, DJ.Program) == {DJ.Program} | {DJ[x] for x in PROGRAM_KINDS}


def test_entity_classes_stay_apart_for_the_scorer(everything):
    """No contract class falls under another (except PartyOrganization under Organization),
    in all ontology/*.ttl files together, as the scorer reads them."""
    closures = {c: closure(everything, DJ[c]) for c in CONTRACT_CLASSES}
    for a, b in permutations(CONTRACT_CLASSES, 2):
        if (a, b) == ("PartyOrganization", "Organization"):
            continue
        assert DJ[a] not in closures[b], f"dj:{a} falls under dj:{b}"
    for r in RELATIONS + ["mentionedIn"]:
        assert property_closure(everything, DJ[r]) == {DJ[r]}, r


# ------------------------------------------------------------------ the shapes

def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def sample_graph() -> Graph:
    """A small graph written as docs/graph-model.md says."""
    g = Graph()
    f, a = ID["file/000_test"], ID["article/000_test/1"]
    g.add((a, RDF.type, DJ.Article))
    g.add((a, DCTERMS.identifier, Literal("000_test/1")))
    g.add((a, DCTERMS.isPartOf, f))
    g.add((a, DCTERMS.title, zh("兰州市新发展党员3039名")))
    g.add((f, DCTERMS.identifier, Literal("000_test")))

    def entity(iri, types, name, mentioned=True):
        for t in types:
            g.add((iri, RDF.type, t))
        g.add((iri, SKOS.prefLabel, zh(name)))
        if mentioned:
            g.add((iri, DJ.mentionedIn, a))
        return iri

    gansu = entity(ID["division/620000"], [DJ.AdministrativeUnit, DJ.Province], "甘肃省", mentioned=False)
    lanzhou = entity(ID["division/620100"], [DJ.AdministrativeUnit, DJ.Prefecture], "兰州市")
    g.add((lanzhou, SKOS.altLabel, zh("兰州")))
    g.add((gansu, DJ.divisionCode, Literal("620000")))
    g.add((lanzhou, DJ.divisionCode, Literal("620100")))
    g.add((lanzhou, DJ.within, gansu))
    dept = entity(ID["organization/兰州市委组织部"],
                  [DJ.Organization, DJ.PartyOrganization, DJ.PartyWorkingDepartment], "兰州市委组织部")
    g.add((dept, SKOS.altLabel, zh("中共兰州市委组织部")))
    g.add((dept, DJ.locatedIn, lanzhou))
    committee = entity(ID["organization/兰州市委"], [DJ.Organization, DJ.PartyOrganization,
                                                   DJ.PartyCommittee], "兰州市委")
    g.add((dept, DJ.subOrganizationOf, committee))
    riders = entity(ID["targetGroup/外卖骑手"], [DJ.TargetGroup], "外卖骑手")
    program = entity(ID["program/有事找书记"], [DJ.Program, DJ.Mechanism], "有事找书记")
    g.add((program, DJ.implementedIn, lanzhou))
    g.add((program, DJ.runBy, dept))
    g.add((program, DJ.targets, riders))
    person = entity(ID["person/王建国"], [DJ.Person], "王建国")
    g.add((person, DJ.pseudonym, Literal(True)))
    g.add((person, DJ.affiliatedWith, dept))
    post = ID["post/兰州市委组织部/部长"]
    g.add((post, RDF.type, ORG.Post))
    g.add((post, RDFS.label, zh("部长")))
    g.add((post, ORG.postIn, dept))
    g.add((post, ORG.heldBy, person))
    g.add((person, ORG.holds, post))
    g.add((a, DCTERMS.creator, person))

    s = ID["statistic/000_test/1/10-15"]
    g.add((s, RDF.type, DJ.Statistic))
    g.add((s, DJ.value, Literal(Decimal(3039))))
    g.add((s, DJ.unit, Literal("名")))
    g.add((s, DJ.measure, zh("新发展党员")))
    g.add((s, DJ.about, lanzhou))
    g.add((s, DJ.period, Literal("2023年以来")))
    g.add((s, DJ.mentionedIn, a))
    g.add((s, NIF.anchorOf, zh("3039名")))
    g.add((s, NIF.beginIndex, Literal(10)))
    g.add((s, NIF.endIndex, Literal(15)))
    g.add((s, NIF.sentence, ID["sentence/000_test/1/0-13"]))

    m = ID["mention/000_test/1/0-3"]
    g.add((m, RDF.type, DJ.Mention))
    g.add((m, DJ.refersTo, lanzhou))
    g.add((m, DJ.inArticle, a))
    g.add((m, NIF.anchorOf, zh("兰州市")))
    g.add((m, NIF.beginIndex, Literal(0)))
    g.add((m, NIF.endIndex, Literal(3)))
    g.add((m, NIF.sentence, ID["sentence/000_test/1/0-13"]))

    sentence = ID["sentence/000_test/1/0-13"]
    g.add((sentence, RDF.type, NIF.Sentence))
    g.add((sentence, NIF.anchorOf, zh("兰州市新发展党员3039名。")))
    g.add((sentence, NIF.beginIndex, Literal(0)))
    g.add((sentence, NIF.endIndex, Literal(13)))
    g.add((sentence, DJ.inArticle, a))

    build = ID["build"]
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, DJ.softwareVersion, Literal("rdflib 7.6.0")))
    g.add((a, PROV.wasGeneratedBy, build))
    return g


def check(g: Graph) -> ValidationResult:
    return validate_graph(g, ONTOLOGY_DIR)


def messages(result: ValidationResult) -> str:
    return "\n".join(v.message for v in result.violations if v.severity == "Violation")


def test_sample_graph_conforms():
    g = sample_graph()
    before = len(g)
    result = check(g)
    assert result.conforms, format_violations(result)
    assert result.violations == []
    assert len(g) == before  # the caller's graph is left alone


def test_dataset_with_named_graphs_is_validated_as_one_graph():
    """The gazetteer's facts sit in their own named graph, as `kg build` writes them."""
    ds = Dataset()
    art, gaz = ds.graph(ID["article/000_test/1"]), ds.graph(ID["graph/gazetteer"])
    for t in sample_graph():
        (gaz if t[1] == DJ.divisionCode or t[0] == ID["division/620000"] else art).add(t)
    assert check(ds).conforms


def test_two_preflabels_fail():
    g = sample_graph()
    g.add((ID["division/620100"], SKOS.prefLabel, zh("兰州")))
    result = check(g)
    assert not result.conforms
    (v,) = result.violations
    assert v.focus == str(ID["division/620100"]) and v.path == str(SKOS.prefLabel)
    assert "more than one skos:prefLabel" in v.message


def test_statistic_without_value_fails():
    g = sample_graph()
    g.remove((None, DJ.value, None))
    result = check(g)
    assert not result.conforms
    assert "Statistic has no dj:value" in messages(result)


def test_statistic_value_must_be_a_number():
    g = sample_graph()
    g.set((ID["statistic/000_test/1/10-15"], DJ.value, Literal("3039名")))
    assert "Statistic must have a single dj:value, a number" in messages(check(g))


def test_within_pointing_to_an_organization_fails():
    g = sample_graph()
    g.set((ID["division/620100"], DJ.within, ID["organization/兰州市委"]))
    result = check(g)
    assert not result.conforms
    (v,) = [v for v in result.violations if v.path == str(DJ.within)]
    assert "dj:within must point to a dj:AdministrativeUnit" in v.message
    assert v.value == str(ID["organization/兰州市委"])


def test_wrong_relation_target_also_fails_with_rdfs_inference():
    """With RDFS inference the range of dj:within makes the organization an administrative
    unit too; the disjointness shape then names the problem."""
    g = sample_graph()
    g.set((ID["division/620100"], DJ.within, ID["organization/兰州市委"]))
    result = validate_graph(g, ONTOLOGY_DIR, inference="rdfs")
    assert not result.conforms
    assert any(v.focus_label == "兰州市委" and "more than one of the disjoint classes" in v.message
               for v in result.violations)
    assert validate_graph(sample_graph(), ONTOLOGY_DIR, inference="rdfs").conforms


def test_entity_without_mentioned_in_fails():
    g = sample_graph()
    g.remove((ID["program/有事找书记"], DJ.mentionedIn, None))
    result = check(g)
    assert not result.conforms
    (v,) = result.violations
    assert v.focus_label == "有事找书记" and "has no dj:mentionedIn" in v.message


def test_unmentioned_division_must_be_a_parent():
    g = sample_graph()
    g.remove((ID["division/620100"], DJ.within, None))
    text = messages(check(g))
    assert "no dj:mentionedIn, is no other unit's dj:within parent and the object of no edge with evidence" in text


def test_bad_division_code_and_relation_targets_fail():
    g = sample_graph()
    g.set((ID["division/620100"], DJ.divisionCode, Literal("6201")))
    g.add((ID["program/有事找书记"], DJ.targets, ID["division/620100"]))
    g.add((ID["person/王建国"], DJ.locatedIn, ID["division/620100"]))
    text = messages(check(g))
    assert "dj:divisionCode must be a plain string of 6 digits" in text
    assert "dj:targets must point to a dj:TargetGroup" in text
    assert "has dj:locatedIn but is not a dj:Organization, dj:Facility or dj:Place" in text


def test_two_entity_classes_fail():
    g = sample_graph()
    g.add((ID["organization/兰州市委"], RDF.type, DJ.Place))
    assert "typed with more than one of the disjoint classes" in messages(check(g))


def test_mention_and_article_problems_fail():
    g = sample_graph()
    m = ID["mention/000_test/1/0-3"]
    g.set((m, NIF.beginIndex, Literal(-1)))
    g.remove((m, DJ.refersTo, None))
    g.remove((ID["file/000_test"], DCTERMS.identifier, None))
    text = messages(check(g))
    assert "Mention must have exactly one nif:beginIndex, a non-negative xsd:integer" in text
    assert "Mention must have exactly one dj:refersTo" in text
    assert "dcterms:isPartOf has no single dcterms:identifier" in text


def test_sentence_problems_fail():
    g = sample_graph()
    sentence = ID["sentence/000_test/1/0-13"]
    g.add((sentence, NIF.anchorOf, zh("另一句。")))
    g.set((sentence, NIF.endIndex, Literal("13")))
    g.add((ID["statistic/000_test/1/10-15"], NIF.sentence, ID["article/000_test/1"]))
    text = messages(check(g))
    assert "Sentence must have exactly one nif:anchorOf" in text
    assert "Sentence must have exactly one nif:endIndex, a non-negative xsd:integer" in text
    assert "Statistic must have at most one nif:sentence, pointing to a nif:Sentence" in text


def test_sentence_is_declared_and_the_old_literal_deprecated(ontology):
    assert (NIF.Sentence, RDF.type, OWL.Class) in ontology
    assert (NIF.sentence, RDFS.range, NIF.Sentence) in ontology
    assert NIF.Sentence in union_members(ontology, ontology.value(DJ.inArticle, RDFS.domain))
    assert (DJ.sentence, OWL.deprecated, Literal(True)) in ontology


def test_format_violations_is_readable_and_limited():
    g = sample_graph()
    g.add((ID["division/620100"], SKOS.prefLabel, zh("兰州")))
    g.remove((None, DJ.value, None))
    g.set((ID["division/620100"], DJ.within, ID["organization/兰州市委"]))
    result = check(g)
    text = format_violations(result)
    lines = text.splitlines()
    assert len(lines) == len(result.violations) >= 3
    assert any(line.startswith("Violation") and "兰州 / 兰州市 (id:division/620100)" in line
               and "dj:within = id:organization/兰州市委" in line for line in lines)
    assert text == format_violations(check(g))  # deterministic
    short = format_violations(result, limit=1).splitlines()
    assert len(short) == 2 and short[1] == f"... and {len(result.violations) - 1} more"
    assert format_violations(ValidationResult(True, [])) == ""


def test_default_ontology_dir_is_the_projects():
    assert default_ontology_dir() == ONTOLOGY_DIR.resolve()
