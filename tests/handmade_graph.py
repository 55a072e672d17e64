"""A small hand-made graph, shaped exactly like the OUTDIR of `kg build`, for the tests of
everything that reads a built graph (queries, explorer, export, notebook).

Those tests assert exact rows, names and counts. On the seeds' build they would assert
whatever today's extractor finds, and break whenever it finds more, less or otherwise;
on this graph they assert what is written here, by hand.

    write_fixture_outdir(outdir) -> outdir      # graph.ttl, graph.trig, graph.nq, summary.json,
                                                # .kg-build.json; the two source texts beside it
    fixture_texts() -> {doc_id: text}           # the "input files" the offsets point into

The graph is written through kg.write's GraphWriter and serialize, in the order
kg/build.py's write_graph uses: the build's provenance; per article its node, each
mention (entity node, dj:Mention, posts), its relations and statistics; then the
gazetteer graph (every administrative unit again, with its code, and the divisions no
article names) with the dj:within hierarchy up to the province; then skos:broader
between target groups in the lexicon graph. So the fixture follows the writer: when
the writer changes what it writes, the fixture changes with it.

The content: two source files, three articles, 44 entities around 兰州市 and 平凉市 in
甘肃省 (all divisions, codes and parents are the gazetteer's own). Offsets are real:
each mention's and statistic's nif:beginIndex/endIndex slice its anchor out of the
file's text (fixture_texts()), and its nif:sentence is the nif:Sentence node of the line
it stands on (whose offsets slice the line out of the file's text).

Time and evidence (issue 16), written by add_time_and_evidence with the terms the issue
fixes: fx01_lanzhou/1 is issued 2024-05-20 (xsd:date), fx02_pingliang/2 2025-03-15T09:30:00
(xsd:dateTime) and fx02_pingliang/1 has no date (an article the text dates nowhere); each
has a publisher, the dated ones a source URL. Two statistics have resolved periods
(STATISTIC_PERIODS), 十个一 a typed start (PROGRAM_STARTS). Every relation an article
states has an rdf:Statement node in that article's graph: with the nif:Sentence of the
first line naming both ends and offsets spanning them (35), or, where no line names both
(7: partOf across sentences, a committee known from its department's name ...), with the
article only. 崇信县 within 平凉市 is stated by two articles (and the gazetteer); the
gazetteer's within edges have statement nodes prov:wasDerivedFrom id:gazetteer.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import write_folder
from kg.model import Entity, Statistic
from kg.outdir import MARKER, marker_bytes
from kg.namespaces import DJ, ID, PREFIXES
from kg.write import GraphWriter, entity_iri, nt_iri, nt_literal, serialize

XSD = PREFIXES["xsd"]

# -- the entities ------------------------------------------------------------------------
# name: (type, attrs). Aliases are not listed: as in a build, they are the surface forms
# (mention anchors) that differ from the name.

D = "AdministrativeUnit"
ENTITIES: dict[str, tuple[str, dict]] = {
    # divisions: level, code, IRI path as the build makes it (the code, else the nearest
    # coded ancestor's code and the names below it)
    "甘肃省": (D, {"level": "province", "code": "620000", "iri_path": ["620000"]}),
    "兰州市": (D, {"level": "prefecture", "code": "620100", "iri_path": ["620100"]}),
    "城关区": (D, {"level": "county", "code": "620102", "iri_path": ["620102"]}),
    "酒泉路街道": (D, {"level": "township", "iri_path": ["620102", "酒泉路街道"]}),
    "平凉市": (D, {"level": "prefecture", "code": "620800", "iri_path": ["620800"]}),
    "崆峒区": (D, {"level": "county", "code": "620802", "iri_path": ["620802"]}),
    "上杨乡": (D, {"level": "township", "iri_path": ["620802", "上杨乡"]}),      # no article names it
    "小岔村": (D, {"level": "village", "iri_path": ["620802", "上杨乡", "小岔村"]}),
    "崇信县": (D, {"level": "county", "code": "620823", "iri_path": ["620823"]}),
    "锦屏镇": (D, {"level": "township", "iri_path": ["620823", "锦屏镇"]}),
    # places
    "中山桥": ("Place", {}),
    "柳湖公园": ("Place", {}),
    # organizations
    "中共甘肃省委": ("Organization", {"party": True, "kind": "党委"}),
    "中共甘肃省委组织部": ("Organization", {"party": True, "kind": "工作部门"}),
    "中共甘肃省委直属机关工作委员会": ("Organization", {"party": True, "kind": "工委"}),
    "中共兰州市委": ("Organization", {"party": True, "kind": "党委"}),
    "兰州市委组织部": ("Organization", {"party": True, "kind": "工作部门"}),
    "兰州市委社会工作部": ("Organization", {"party": True, "kind": "工作部门"}),
    "平凉市委组织部": ("Organization", {"party": True, "kind": "工作部门"}),
    "小岔村党支部": ("Organization", {"party": True, "kind": "党支部"}),
    "中共崇信县委": ("Organization", {"party": True, "kind": "党委"}),
    "崇信县委社会工作部": ("Organization", {"party": True, "kind": "工作部门"}),
    "崇信县委“两新”工委": ("Organization", {"party": True, "kind": "工委"}),
    "崇信县交通运输局": ("Organization", {"org_class": "government"}),
    # people
    "李明": ("Person", {}),
    "赵芳": ("Person", {}),
    "王建华": ("Person", {}),
    "马强": ("Person", {}),
    "文诚勇": ("Person", {}),
    "小张": ("Person", {"pseudonym": True}),
    # programs
    "暖心引领骑手融入": ("Program", {"kind": "campaign"}),
    "骑手之家": ("Program", {"kind": "brand"}),
    "十个一": ("Program", {}),              # its dj:startDate: PROGRAM_STARTS below
    "三找": ("Program", {"kind": "activity"}),
    "线上+线下": ("Program", {"kind": "model"}),
    "三会一课": ("Program", {"kind": "system"}),
    # target groups
    "新就业群体": ("TargetGroup", {}),
    "外卖骑手": ("TargetGroup", {}),
    "新就业群体党员": ("TargetGroup", {}),
    "货车司机": ("TargetGroup", {}),
    # facilities, platforms, documents
    "张掖路骑手驿站": ("Facility", {}),
    "司机之家": ("Facility", {}),
    "甘肃党建": ("Platform", {}),
    "《关于加强新就业群体党建工作的若干措施》": ("Document", {}),
}

# child → parent: the gazetteer's hierarchy, up to the province (written to the gazetteer graph)
WITHIN = {"兰州市": "甘肃省", "城关区": "兰州市", "酒泉路街道": "城关区",
          "平凉市": "甘肃省", "崆峒区": "平凉市", "上杨乡": "崆峒区", "小岔村": "上杨乡",
          "崇信县": "平凉市", "锦屏镇": "崇信县"}

# narrower → broader, as kg/lexicon/target_groups.tsv says (written to the lexicon graph)
BROADER = {"外卖骑手": "新就业群体", "新就业群体党员": "新就业群体", "货车司机": "新就业群体"}


# -- the articles ------------------------------------------------------------------------

@dataclass
class Line:
    """One line of an article: its text (also its nif:Sentence node), the mentions on it as
    (entity, anchor) in text order, and the statistics as (anchor, value, unit, measure,
    about, period, qualifier). A mention's anchor is looked for after the one before it
    (so mentions never overlap); a statistic's at its first place in the line."""
    text: str
    mentions: list[tuple[str, str]] = field(default_factory=list)
    statistics: list[tuple] = field(default_factory=list)


@dataclass
class FixtureArticle:
    doc_id: str
    title: str
    creators: list[str]
    lines: list[Line]              # in the fixture: the title, the byline, then the text
    relations: list[tuple[str, str, str]]
    posts: list[tuple[str, str, str]] = field(default_factory=list)   # (person, title, organization)
    # issue 16's article metadata: dcterms:issued as written in the graph ("2024-05-20" an
    # xsd:date, with "T" an xsd:dateTime; "" none), dcterms:source (a URL), dcterms:publisher
    issued: str = ""
    source: str = ""
    publisher: str = ""


ARTICLES = [
    FixtureArticle(
        doc_id="fx01_lanzhou",
        title="兰州市党建引领新就业群体融入基层治理",
        creators=["李明"],
        lines=[
            Line("兰州市党建引领新就业群体融入基层治理", [("兰州市", "兰州市"), ("新就业群体", "新就业群体")]),
            Line("新甘肃·甘肃日报记者 李明", [("李明", "李明")]),
            Line("兰州市委组织部在城关区推行“暖心引领骑手融入”行动，组织外卖骑手参与社区治理。",
                 [("兰州市委组织部", "兰州市委组织部"), ("城关区", "城关区"),
                  ("暖心引领骑手融入", "“暖心引领骑手融入”行动"), ("外卖骑手", "外卖骑手")]),
            Line("兰州市委社会工作部部长王建华介绍，全市已建成骑手驿站120个。",
                 [("兰州市委社会工作部", "兰州市委社会工作部"), ("王建华", "王建华")],
                 [("120个", 120, "个", "全市已建成骑手驿站", "兰州市", None, None)]),
            Line("2023年以来，兰州新发展党员3039人，其中骑手党员200余名。",
                 [("兰州市", "兰州"), ("外卖骑手", "骑手")],
                 [("3039人", 3039, "人", "新发展党员", "兰州市", "2023年以来", None),
                  ("200余名", 200, "名", "骑手党员", "兰州市", None, "余")]),
            Line("兰州市委组织部指导酒泉路街道张掖路骑手驿站为骑手打造“骑手之家”品牌，骑手们常在中山桥开展志愿服务。",
                 [("兰州市委组织部", "兰州市委组织部"), ("酒泉路街道", "酒泉路街道"),
                  ("张掖路骑手驿站", "张掖路骑手驿站"), ("外卖骑手", "骑手"), ("骑手之家", "“骑手之家”品牌"),
                  ("中山桥", "中山桥")]),
            Line("中共兰州市委要求各级党组织用好“甘肃党建”平台。",
                 [("中共兰州市委", "中共兰州市委"), ("甘肃党建", "甘肃党建")]),
        ],
        relations=[
            ("暖心引领骑手融入", "implementedIn", "城关区"),
            ("暖心引领骑手融入", "runBy", "兰州市委组织部"),
            ("暖心引领骑手融入", "targets", "外卖骑手"),
            ("骑手之家", "implementedIn", "酒泉路街道"),
            ("骑手之家", "partOf", "暖心引领骑手融入"),
            ("骑手之家", "runBy", "兰州市委组织部"),
            ("骑手之家", "targets", "外卖骑手"),
            ("兰州市委组织部", "subOrganizationOf", "中共兰州市委"),
            ("兰州市委社会工作部", "subOrganizationOf", "中共兰州市委"),
            ("兰州市委组织部", "locatedIn", "兰州市"),
            ("中共兰州市委", "locatedIn", "兰州市"),
            ("王建华", "affiliatedWith", "兰州市委社会工作部"),
            ("张掖路骑手驿站", "locatedIn", "酒泉路街道"),
            ("中山桥", "locatedIn", "城关区"),
        ],
        posts=[("王建华", "部长", "兰州市委社会工作部")],
        issued="2024-05-20", source="https://gansu.example.org/2024/05/20/fx01.html", publisher="甘肃日报",
    ),
    FixtureArticle(
        doc_id="fx02_pingliang",
        title="平凉市“十个一”服务新就业群体",
        creators=["赵芳"],
        lines=[
            Line("平凉市“十个一”服务新就业群体", [("平凉市", "平凉市"), ("十个一", "“十个一”服务"),
                                                 ("新就业群体", "新就业群体")]),
            Line("本报记者 赵芳", [("赵芳", "赵芳")]),
            Line("2023年3月起，平凉市委组织部在平凉推行“十个一”服务，为新就业群体办实事。",
                 [("平凉市委组织部", "平凉市委组织部"), ("平凉市", "平凉"), ("十个一", "“十个一”服务"),
                  ("新就业群体", "新就业群体")]),
            Line("崆峒区小岔村村党支部书记马强带领党员开展“三找”活动，为新就业群体党员找组织、找岗位、找服务。",
                 [("崆峒区", "崆峒区"), ("小岔村", "小岔村"), ("小岔村党支部", "村党支部"), ("马强", "马强"),
                  ("三找", "“三找”活动"), ("新就业群体党员", "新就业群体党员")]),
            Line("首场活动在柳湖公园举行，吸引党员群众300余人参加。",
                 [("柳湖公园", "柳湖公园")],
                 [("300余人", 300, "人", "吸引党员群众参加", "三找", None, "余")]),
            Line("目前，平凉市已建成新就业群体服务站点15个，覆盖崆峒区、崇信县。",
                 [("平凉市", "平凉市"), ("崆峒区", "崆峒区"), ("崇信县", "崇信县")],
                 [("15个", 15, "个", "已建成新就业群体服务站点", "平凉市", None, None)]),
            Line("平凉市委组织部印发《关于加强新就业群体党建工作的若干措施》。",
                 [("平凉市委组织部", "平凉市委组织部"),
                  ("《关于加强新就业群体党建工作的若干措施》", "《关于加强新就业群体党建工作的若干措施》")]),
        ],
        relations=[
            ("十个一", "implementedIn", "平凉市"),
            ("十个一", "runBy", "平凉市委组织部"),
            ("十个一", "targets", "新就业群体"),
            ("三找", "implementedIn", "小岔村"),
            ("三找", "runBy", "小岔村党支部"),
            ("三找", "targets", "新就业群体党员"),
            ("三找", "partOf", "十个一"),
            ("平凉市委组织部", "locatedIn", "平凉市"),
            ("小岔村党支部", "locatedIn", "小岔村"),
            ("马强", "affiliatedWith", "小岔村党支部"),
            ("柳湖公园", "locatedIn", "崆峒区"),
            ("崇信县", "within", "平凉市"),             # the text says so too (覆盖崆峒区、崇信县)
        ],
        posts=[("马强", "书记", "小岔村党支部")],
        publisher="平凉日报",                 # no date: an article the text gives none for
    ),
    FixtureArticle(
        doc_id="fx02_pingliang",
        title="平凉市崇信县“线上+线下”服务货车司机",
        creators=["赵芳"],
        lines=[
            Line("平凉市崇信县“线上+线下”服务货车司机", [("平凉市", "平凉市"), ("崇信县", "崇信县"),
                                                         ("线上+线下", "“线上+线下”"), ("货车司机", "货车司机")]),
            Line("本报记者 赵芳", [("赵芳", "赵芳")]),
            Line("崇信县委社会工作部部长、“两新”工委书记文诚勇介绍。",
                 [("崇信县委社会工作部", "崇信县委社会工作部"), ("崇信县委“两新”工委", "“两新”工委"),
                  ("文诚勇", "文诚勇")]),
            Line("在中共崇信县委领导下，崇信县委社会工作部牵头组建司机之家。",
                 [("中共崇信县委", "中共崇信县委"), ("崇信县委社会工作部", "崇信县委社会工作部"),
                  ("司机之家", "司机之家")]),
            Line("崇信县推行“线上+线下”服务模式，为货车司机提供学习教育和关爱服务。",
                 [("崇信县", "崇信县"), ("线上+线下", "“线上+线下”服务模式"), ("货车司机", "货车司机")]),
            Line("锦屏镇司机之家里，货车司机党员小张（化名）通过“甘肃党建”平台随时学习，崇信县交通运输局提供场地。",
                 [("锦屏镇", "锦屏镇"), ("司机之家", "司机之家"), ("货车司机", "货车司机"), ("小张", "小张"),
                  ("甘肃党建", "甘肃党建"), ("崇信县交通运输局", "崇信县交通运输局")]),
            Line("今年以来，崇信县为货车司机办实事86件。",
                 [("崇信县", "崇信县"), ("货车司机", "货车司机")],
                 [("86件", 86, "件", "为货车司机办实事", "崇信县", "今年以来", None)]),
            Line("中共甘肃省委直属机关工作委员会推行“三会一课”制度，中共甘肃省委组织部加强督导。",
                 [("中共甘肃省委直属机关工作委员会", "中共甘肃省委直属机关工作委员会"), ("三会一课", "“三会一课”制度"),
                  ("中共甘肃省委组织部", "中共甘肃省委组织部")]),
            Line("中共甘肃省委要求甘肃省各级党组织把货车司机党员组织起来，全省已有1.2万余名货车司机。",
                 [("中共甘肃省委", "中共甘肃省委"), ("甘肃省", "甘肃省"), ("货车司机", "货车司机")],
                 [("1.2万余名", 12000, "名", "货车司机", "甘肃省", None, "余")]),
        ],
        relations=[
            ("崇信县", "within", "平凉市"),             # 平凉市崇信县: stated by two articles
            ("线上+线下", "implementedIn", "崇信县"),
            ("线上+线下", "runBy", "崇信县委“两新”工委"),
            ("线上+线下", "targets", "货车司机"),
            ("三会一课", "implementedIn", "甘肃省"),
            ("三会一课", "runBy", "中共甘肃省委直属机关工作委员会"),
            ("崇信县委“两新”工委", "subOrganizationOf", "崇信县委社会工作部"),
            ("崇信县委社会工作部", "subOrganizationOf", "中共崇信县委"),
            ("崇信县委社会工作部", "locatedIn", "崇信县"),
            ("中共崇信县委", "locatedIn", "崇信县"),
            ("中共甘肃省委直属机关工作委员会", "subOrganizationOf", "中共甘肃省委"),
            ("中共甘肃省委组织部", "subOrganizationOf", "中共甘肃省委"),
            ("文诚勇", "affiliatedWith", "崇信县委社会工作部"),
            ("文诚勇", "affiliatedWith", "崇信县委“两新”工委"),
            ("司机之家", "locatedIn", "锦屏镇"),
            ("崇信县交通运输局", "locatedIn", "崇信县"),
        ],
        posts=[("文诚勇", "部长", "崇信县委社会工作部"), ("文诚勇", "书记", "崇信县委“两新”工委")],
        issued="2025-03-15T09:30:00", source="https://pingliang.example.org/2025/03/15/fx02-2.html",
        publisher="平凉日报",
    ),
]


# -- issue 16: time and evidence -----------------------------------------------------------
# Terms the extractor is to write (docs/graph-model.md, "Time" and "Evidence of relations");
# until kg/write.py has a method for each, the fixture writes them here itself, as N-Triples
# strings into the writer's named graphs, exactly as the brief of issue 16 fixes them.

# a statistic's period resolved against its article's date, by its anchor:
# (dj:periodStart, dj:periodEnd, dj:year or None when the period spans more than one year)
STATISTIC_PERIODS = {"3039人": ("2023-01-01", "2024-05-20", None),      # 2023年以来, in an article of 2024-05-20
                     "86件": ("2025-01-01", "2025-03-15", "2025")}      # 今年以来, in an article of 2025-03-15
# a program's start: (dj:startDate, its xsd datatype, dj:startText as written)
PROGRAM_STARTS = {"十个一": ("2023-03", "gYearMonth", "2023年3月起")}

GAZETTEER_SOURCE = ID + "gazetteer"          # what a within edge of the gazetteer is prov:wasDerivedFrom
EVIDENCE = ID + "evidence/"


def evidence_iri(graph: str, s: str, p: str, o: str) -> str:
    """The IRI of the rdf:Statement node of S P O stated in GRAPH (all plain IRIs): a stable
    hash of the four, the same in every process (hashlib, not Python's hash())."""
    digest = hashlib.sha256("\n".join((graph, s, p, o)).encode("utf-8")).hexdigest()[:16]
    return EVIDENCE + digest


def _first_at(text: str, forms: set[str]) -> tuple[int, int] | None:
    """The earliest place in TEXT where one of FORMS stands (the longest there), or None."""
    found = [(text.find(f), -len(f)) for f in forms if f and text.find(f) >= 0]
    if not found:
        return None
    at, minus = min(found)
    return at, at - minus


def evidence_span(art: "FixtureArticle", starts: list[int], subject: str, obj: str) -> tuple[int, int, int] | None:
    """(line number, begin, end) of the first line of ART naming both SUBJECT and OBJ (by their
    names or the anchors of their mentions in the article), the span from the first of the two
    to the end of the last as offsets into the file's text; None when no line names both."""
    forms: dict[str, set[str]] = {subject: {subject}, obj: {obj}}
    for line in art.lines:
        for name, anchor in line.mentions:
            if name in forms:
                forms[name].add(anchor)
    for n, (line, start) in enumerate(zip(art.lines, starts)):
        # where the line has a mention of the entity, that mention's place; else where one of
        # its forms stands (兰州市 inside 兰州市委组织部)
        placed: dict[str, tuple[int, int]] = {}
        after = 0
        for name, anchor in line.mentions:
            at = _span(line, 0, anchor, after)
            after = at[1]
            placed.setdefault(name, at)
        a = placed.get(subject) or _first_at(line.text, forms[subject])
        b = placed.get(obj) or _first_at(line.text, forms[obj])
        if a is not None and b is not None:
            return n, start + min(a[0], b[0]), start + max(a[1], b[1])
    return None


def _typed(value: str, datatype: str) -> str:
    return nt_literal(value, datatype=nt_iri(XSD + datatype))


def add_time_and_evidence(writer: GraphWriter, placed, iri: dict[str, str], within: dict[str, str]) -> None:
    """Issue 16's terms for the fixture's articles (ARTICLES as `_layout` placed them):
    article metadata, resolved periods, program starts, and an rdf:Statement node for every
    relation (with its sentence and offsets where one line names both ends; for the
    gazetteer's within edges prov:wasDerivedFrom the gazetteer)."""
    term = {name: nt_iri(PREFIXES[name.split(":")[0]] + name.split(":")[1]) for name in (
        "rdf:type", "rdf:Statement", "rdf:subject", "rdf:predicate", "rdf:object", "dj:inArticle",
        "nif:sentence", "nif:beginIndex", "nif:endIndex", "prov:wasDerivedFrom", "dcterms:issued",
        "dcterms:source", "dcterms:publisher", "dj:periodStart", "dj:periodEnd", "dj:year",
        "dj:startDate", "dj:startText")}

    def statement(graph, s: str, p: str, o: str, source: str) -> str:
        node = nt_iri(evidence_iri(source, s[1:-1], DJ + p, o[1:-1]))
        graph.update(((node, term["rdf:type"], term["rdf:Statement"]), (node, term["rdf:subject"], s),
                      (node, term["rdf:predicate"], nt_iri(DJ + p)), (node, term["rdf:object"], o)))
        return node

    for art, index, starts in placed:
        graph = writer.graph_of(art.doc_id, index)
        a = nt_iri(f"{ID}article/{art.doc_id}/{index + 1}")
        if art.issued:
            graph.add(a, term["dcterms:issued"], _typed(art.issued, "dateTime" if "T" in art.issued else "date"))
        if art.source:
            graph.add(a, term["dcterms:source"], nt_iri(art.source))
        if art.publisher:
            graph.add(a, term["dcterms:publisher"], nt_literal(art.publisher, "zh"))
        for line, start in zip(art.lines, starts):
            for anchor, *_ in line.statistics:
                if anchor in STATISTIC_PERIODS:
                    first, last, year = STATISTIC_PERIODS[anchor]
                    begin, end = _span(line, start, anchor)
                    st = nt_iri(f"{ID}statistic/{art.doc_id}/{index + 1}/{begin}-{end}")
                    graph.add(st, term["dj:periodStart"], _typed(first, "date"))
                    graph.add(st, term["dj:periodEnd"], _typed(last, "date"))
                    if year:
                        graph.add(st, term["dj:year"], _typed(year, "gYear"))
            for name, _ in line.mentions:
                if name in PROGRAM_STARTS:
                    value, datatype, words = PROGRAM_STARTS[name]
                    graph.add(iri[name], term["dj:startDate"], _typed(value, datatype))
                    graph.add(iri[name], term["dj:startText"], nt_literal(words))
        for subject, predicate, obj in art.relations:
            node = statement(graph, iri[subject], predicate, iri[obj], a[1:-1])
            graph.add(node, term["dj:inArticle"], a)
            found = evidence_span(art, starts, subject, obj)
            if found is not None:
                n, begin, end = found
                sentence = nt_iri(f"{ID}sentence/{art.doc_id}/{index + 1}/{starts[n]}-{starts[n] + len(art.lines[n].text)}")
                graph.update(((node, term["nif:sentence"], sentence),
                              (node, term["nif:beginIndex"], f'"{begin}"^^{nt_iri(XSD + "integer")}'),
                              (node, term["nif:endIndex"], f'"{end}"^^{nt_iri(XSD + "integer")}')))
    for child, parent in within.items():
        node = statement(writer.gazetteer, iri[child], "within", iri[parent], GAZETTEER_SOURCE)
        writer.gazetteer.add(node, term["prov:wasDerivedFrom"], nt_iri(GAZETTEER_SOURCE))


# -- the source texts and offsets -----------------------------------------------------------

def _layout(articles: list[FixtureArticle]) -> tuple[dict[str, str], list[tuple[FixtureArticle, int, list[int]]]]:
    """The file texts, and per article (article, its index in its file, each line's offset)."""
    texts: dict[str, str] = {}
    placed = []
    index: Counter = Counter()
    for art in articles:
        text = texts.get(art.doc_id, "")
        if text:
            text += "\n"                               # a blank line between two articles
        starts = []
        for line in art.lines:
            starts.append(len(text))
            text += line.text + "\n"
        texts[art.doc_id] = text
        placed.append((art, index[art.doc_id], starts))
        index[art.doc_id] += 1
    return texts, placed


def fixture_texts(articles: list[FixtureArticle] = ARTICLES) -> dict[str, str]:
    """{doc_id: the file's text}: what the mentions' and statistics' offsets point into."""
    return _layout(articles)[0]


def _span(line: Line, start: int, anchor: str, after: int = 0) -> tuple[int, int]:
    """The anchor's offsets in the file, looked for from `after` (an offset into the line)."""
    at = line.text.find(anchor, after)
    if at < 0:
        raise ValueError(f"fixture: {anchor!r} is not in the line {line.text!r} after {after}")
    return start + at, start + at + len(anchor)


def fixture_entities(articles: list[FixtureArticle] = ARTICLES,
                     specs: dict[str, tuple[str, dict]] = ENTITIES) -> dict[str, Entity]:
    """Every entity with its aliases (the anchors that differ from its name)."""
    entities = {name: Entity(type_, name, attrs=dict(attrs)) for name, (type_, attrs) in specs.items()}
    for art in articles:
        for line in art.lines:
            for name, anchor in line.mentions:
                if anchor != name:
                    entities[name].aliases.add(anchor)
    return entities


def fixture_files(articles: list[FixtureArticle] = ARTICLES, specs: dict[str, tuple[str, dict]] = ENTITIES,
                  within: dict[str, str] = WITHIN, broader: dict[str, str] = BROADER,
                  versions: dict[str, str] | None = None) -> dict[str, bytes]:
    """The files of the fixture OUTDIR: {name: bytes}, as kg build's _build makes them.
    By default of the fixture's articles; other tests may write graphs of their own
    articles, entities, hierarchy and broader groups the same way."""
    entities = fixture_entities(articles, specs)
    iri = {name: nt_iri(entity_iri(entity)) for name, entity in entities.items()}
    writer = GraphWriter()
    writer.add_build(versions or {"dangjian-kg": "fixture", "rdflib": "fixture", "jieba": "fixture",
                                  "gazetteer": "fixture: tests/handmade_graph.py"})
    _, placed = _layout(articles)
    mentioned: set[str] = set()
    relation_counts: Counter = Counter()
    statistics = 0
    for art, index, starts in placed:
        graph = writer.graph_of(art.doc_id, index)
        a = writer.add_article(art.doc_id, index, art.title, [iri[name] for name in art.creators])
        sentences = [writer.add_sentence(graph, a, art.doc_id, index, (start, start + len(line.text)), line.text)
                     if line.mentions or line.statistics else None
                     for line, start in zip(art.lines, starts)]
        for line, start, sentence in zip(art.lines, starts, sentences):
            after = 0
            for name, anchor in line.mentions:
                writer.add_entity(entities[name], graph, a)
                mentioned.add(name)
                span = _span(line, start, anchor, after)
                after = span[1] - start
                writer.add_mention(graph, a, art.doc_id, index, iri[name], anchor, span, sentence)
        for person, title, org in art.posts:
            writer.add_post(graph, iri[person], title, iri[org], org)
        for subject, predicate, obj in art.relations:
            writer.add_relation(graph, iri[subject], predicate, iri[obj])
            relation_counts[predicate] += 1
        for line, start, sentence in zip(art.lines, starts, sentences):
            for anchor, value, unit, measure, about, period, qualifier in line.statistics:
                span = _span(line, start, anchor)
                st = Statistic(value=value, unit=unit, measure=measure, surface=anchor, start=span[0],
                               end=span[1], qualifier=qualifier, period=period)
                writer.add_statistic(graph, a, art.doc_id, index, st, span, sentence,
                                     iri[about] if about else None, anchor=anchor)
                statistics += 1
    for name, entity in entities.items():
        if name not in mentioned or entity.type == D:
            writer.add_entity(entity, writer.gazetteer, None)
    for child, parent in within.items():
        writer.add_relation(writer.gazetteer, iri[child], "within", iri[parent])
    relation_counts["within"] += len(within)
    for narrower, wider in sorted(broader.items()):
        writer.add_broader(iri[narrower], iri[wider])
    add_time_and_evidence(writer, placed, iri, within)

    files = serialize(writer)
    summary = {"files": len({art.doc_id for art in articles}), "articles": len(articles),
               "entities": dict(sorted(Counter(entities[name].type for name in mentioned).items())),
               "relations": dict(sorted(relation_counts.items())),
               "statistics": statistics, "problems": []}
    files["summary.json"] = (json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True)
                             + "\n").encode("utf-8")
    files[MARKER] = marker_bytes(list(files))
    return files


def write_fixture_outdir(outdir: Path, articles: list[FixtureArticle] = ARTICLES, **graph) -> Path:
    """Write the fixture OUTDIR (atomically, as kg build does) and the source texts in a
    folder `sources` beside it. Returns outdir. articles and `graph` (specs, within,
    broader) as fixture_files."""
    outdir = Path(outdir)
    write_folder(outdir, fixture_files(articles, **graph))
    sources = outdir.parent / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    for doc_id, text in fixture_texts(articles).items():
        (sources / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return outdir
