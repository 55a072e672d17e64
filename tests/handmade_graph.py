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

Time and evidence (issue 16), written by the writer as kg build writes them:
fx01_lanzhou/1 is issued 2024-05-20 (xsd:date), fx02_pingliang/2 2025-03-15T09:30:00
(xsd:dateTime) and fx02_pingliang/1 has no date (an article the text dates nowhere); each
has a publisher, the dated ones a source URL. Two statistics have resolved periods
(STATISTIC_PERIODS), 十个一 a typed start. Every relation an article states has an
rdf:Statement node in that article's graph (evidence_of): the first line naming both ends
and offsets spanning them (dj:BothNamed, 35), or, where no line names both (7: partOf across
sentences, a committee known from its department's name ...), the subject's first line and
span (dj:SubjectNamed). 崇信县 within 平凉市 is stated by two articles (and the gazetteer);
the gazetteer's within edges have statement nodes prov:wasDerivedFrom id:gazetteer.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import write_folder
from kg.counts import COUNTED, tally
from kg.dates import StartDate
from kg.model import RELATIONS, Entity, Statistic
from kg.outdir import MARKER, marker_bytes
from kg.namespaces import PREFIXES
from kg.write import FROM_GAZETTEER, GraphWriter, entity_iri, nt_iri, serialize

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
    "十个一": ("Program", {"start_date": StartDate("2023-03", "gYearMonth", "2023年3月起")}),
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
# Written by the writer as kg build writes them (docs/graph-model.md, "Time" and "Evidence for
# edges"): article metadata (FixtureArticle.issued/source/publisher), a statistic's period
# resolved against its article's date (STATISTIC_PERIODS, by anchor), a program's start (its
# entity's start_date), and the evidence of every relation (evidence_of).

# (dj:periodStart, dj:periodEnd, dj:year or None when the period spans more than one year)
STATISTIC_PERIODS = {"3039人": ("2023-01-01", "2024-05-20", None),      # 2023年以来, in an article of 2024-05-20
                     "86件": ("2025-01-01", "2025-03-15", 2025)}        # 今年以来, in an article of 2025-03-15


def _first_at(text: str, forms: set[str]) -> tuple[int, int] | None:
    """The earliest place in TEXT where one of FORMS stands (the longest there), or None."""
    found = [(text.find(f), -len(f)) for f in forms if f and text.find(f) >= 0]
    if not found:
        return None
    at, minus = min(found)
    return at, at - minus


def evidence_of(art: "FixtureArticle", starts: list[int], subject: str, obj: str) -> tuple[int, tuple[int, int], str]:
    """(line number, span as offsets into the file's text, kind) of the evidence of SUBJECT P OBJ
    in ART, as kg build gives it: the first line naming both (by their names or the anchors of
    their mentions), the span from the first of the two to the end of the last, kind "both";
    else the first line naming the subject, the subject's span, kind "subject" (the object is
    read from elsewhere in the article)."""
    forms: dict[str, set[str]] = {subject: {subject}, obj: {obj}}
    for line in art.lines:
        for name, anchor in line.mentions:
            if name in forms:
                forms[name].add(anchor)
    subject_only = None
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
            return n, (start + min(a[0], b[0]), start + max(a[1], b[1])), "both"
        if a is not None and subject_only is None:
            subject_only = n, (start + a[0], start + a[1]), "subject"
    if subject_only is None:
        raise ValueError(f"fixture: no line of {art.doc_id} names {subject!r}")
    return subject_only


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
    edges: list[tuple[str, str, str]] = []      # every relation written, as (s, p, o) IRIs
    statistics = 0
    for art, index, starts in placed:
        graph = writer.graph_of(art.doc_id, index)
        a = writer.add_article(art.doc_id, index, art.title, [iri[name] for name in art.creators])
        writer.add_article_meta(a, art.issued or None, "dateTime" if "T" in art.issued else None,
                                art.publisher or None, art.source or None)
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
        text = fixture_texts(articles)[art.doc_id]
        for subject, predicate, obj in art.relations:
            n, span, kind = evidence_of(art, starts, subject, obj)
            line = art.lines[n]
            sentence = sentences[n] or writer.add_sentence(graph, a, art.doc_id, index,
                                                           (starts[n], starts[n] + len(line.text)), line.text)
            writer.add_relation(graph, iri[subject], predicate, iri[obj], a, sentence, span,
                                text[span[0]:span[1]], kind)
            edges.append((iri[subject], predicate, iri[obj]))
        for line, start, sentence in zip(art.lines, starts, sentences):
            for anchor, value, unit, measure, about, period, qualifier in line.statistics:
                span = _span(line, start, anchor)
                first, last, year = STATISTIC_PERIODS.get(anchor, (None, None, None))
                st = Statistic(value=value, unit=unit, measure=measure, surface=anchor, start=span[0],
                               end=span[1], qualifier=qualifier, period=period,
                               period_start=first, period_end=last, year=year)
                writer.add_statistic(graph, a, art.doc_id, index, st, span, sentence,
                                     iri[about] if about else None, anchor=anchor)
                statistics += 1
    for name, entity in entities.items():
        if name not in mentioned or entity.type == D:
            writer.add_entity(entity, writer.gazetteer, None)
    for child, parent in within.items():
        writer.add_relation(writer.gazetteer, iri[child], "within", iri[parent], derived_from=FROM_GAZETTEER)
    edges += [(iri[child], "within", iri[parent]) for child, parent in within.items()]
    for narrower, wider in sorted(broader.items()):
        writer.add_broader(iri[narrower], iri[wider])

    files = serialize(writer)
    # counted as kg build counts them (kg.build.written_counts): every entity written, each
    # edge once however many graphs hold it
    counts = tally(((iri[name], entity.type) for name, entity in entities.items()), edges)
    summary = {"files": len({art.doc_id for art in articles}), "articles": len(articles), "counted": COUNTED,
               "entities": dict(sorted(counts.classes.items())),
               "relations": {r: n for r, n in sorted(counts.relations.items()) if r in RELATIONS and n},
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
