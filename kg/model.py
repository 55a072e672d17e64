"""The data that flows between the stages, as plain dataclasses.

    files --read--> Page --normalize/split--> Article (clean text + offset map, sentences)
      --find--> Mention --resolve--> Entity --relate--> Relation
      --statistics--> Statistic --rdf--> graph

Offsets in a Mention, Sentence or Statistic point into ``Article.text`` (the
clean text); ``Article.origin`` maps each of those characters back to its
offset in ``Page.text`` (the decoded file), so evidence can always be shown
exactly where it stands in the input.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# The nine entity types of the annotation guidelines (local names of dj: classes).
ENTITY_TYPES = ("AdministrativeUnit", "Place", "Organization", "Program", "Person",
                "TargetGroup", "Facility", "Platform", "Document")

# The eight relations of the annotation guidelines (local names of dj: properties).
RELATIONS = ("within", "locatedIn", "subOrganizationOf", "affiliatedWith",
             "implementedIn", "runBy", "targets", "partOf")


@dataclass(frozen=True)
class Page:
    """One input file, decoded.

    Offsets into the page index ``text``, and ``original`` just the same: both
    have the same length. For an HTML page both are the article text extracted
    from it (not the markup), so offsets refer to that text.
    """
    doc_id: str      # the file name without its extension; its path under the input folder
                     # without extension ("a/x", "b/x") when another input file has the same name
    path: str        # as given on the command line (for messages)
    text: str        # the decoded text (BOM and stray control characters removed, bad bytes as
                     # U+FFFD), traditional Chinese converted to simplified; for HTML the article text
    encoding: str    # the codec that decoded it
    original: str | None = None   # the text as written, before conversion to simplified; same
                                  # length as text (None given: the same as text)
    meta: dict = field(default_factory=dict, compare=False)  # an HTML page's title, date, url,
                                                             # source (site name), where found

    def __post_init__(self) -> None:
        if self.original is None:
            object.__setattr__(self, "original", self.text)
        elif len(self.original) != len(self.text):
            raise ValueError(f"{self.path}: Page.original and Page.text differ in length")


@dataclass(frozen=True)
class Sentence:
    index: int       # position in the article
    start: int       # offsets into Article.text
    end: int
    text: str


@dataclass
class Article:
    """One article of a page: clean text, an offset map back to the file, its sentences."""
    doc_id: str
    index: int                    # 0, 1, ... within the page
    title: str
    text: str                     # clean text: normalized, captions apart, broken paragraphs rejoined
    origin: list[int]             # origin[i] = offset in Page.text of text[i]
    sentences: list[Sentence]
    creators: list[str] = field(default_factory=list)   # journalists from the byline
    contributors: list[str] = field(default_factory=list)  # 通讯员 and other credited people
    author_org: str | None = None   # ■中共兰州市委组织部 style author line
    dateline: str | None = None     # the place of 本报兰州讯, as written ("兰州")
    credit_spans: list[tuple[int, int]] = field(default_factory=list)  # byline and author lines in text
    source: str = ""                # the file's decoded text (Page.original), which origin points into
    # When and where it appeared (kg.dates.date_articles; None where not known):
    dateline_date: tuple[int | None, int, int] | None = None  # (year or None, month, day) of 本报成都3月15日电
    issued: str | None = None       # ISO 8601: "2026-03-15", or "2026-01-19T10:49:00" with a time
    issued_precision: str | None = None   # "date" or "dateTime"
    publisher: str | None = None    # the paper or site (来源: 青海日报, or --meta's source)
    url: str | None = None          # where it was published (--meta or an HTML page's own)
    meta_title: str | None = None   # the --meta title: dcterms:title in place of `title` (the finders read that)

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence that holds the character at ``offset``; for an offset between two
        sentences (a line break), the article's last sentence."""
        # sentences are sorted and do not overlap
        i = bisect.bisect_right(self.sentences, offset, key=lambda s: s.start) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return self.sentences[-1]

    def is_credit(self, offset: int) -> bool:
        """True inside a byline or author line (新甘肃·甘肃日报记者 X, ■中共兰州市委组织部)."""
        return any(start <= offset < end for start, end in self.credit_spans)

    def origin_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text to the file's text."""
        return self.origin[start], self.origin[end - 1] + 1

    def origin_text(self, start: int, end: int) -> str:
        """The file's own text under a [start, end) span of the clean text: what the evidence
        quotes, so that its offsets slice it out of the file (a name across a rejoined line
        break keeps the break; traditional characters stay traditional)."""
        begin, stop = self.origin_span(start, end)
        return self.source[begin:stop]


@dataclass
class Mention:
    """A stretch of an article's text that names an entity."""
    type: str                  # one of ENTITY_TYPES
    surface: str               # the text as found (clean text)
    start: int                 # offsets into Article.text
    end: int
    name: str | None = None    # canonical name, where the finder already knows it
    attrs: dict = field(default_factory=dict)  # finder-specific facts (level, code, party, kind, ...)


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the article and the span (clean-text offsets).

    For a relation, `kind` says what the span holds (docs/graph-model.md, "Evidence for
    edges"): "both", the two names, from the first to the end of the last, in one sentence;
    "subject", the subject's name alone, in its sentence (the object is not named there: a
    subject carried over from an earlier sentence, a 全县-style scope); "focus", the same
    where the object is the article's focus (named in its headline or dateline); "chain", a division the gazetteer lacks, whose parent the text's chain or list
    of divisions gave outside its sentence. For an entity's mention it is left as it is."""
    doc_id: str
    article: int
    start: int
    end: int
    kind: str = "both"


@dataclass
class Entity:
    """One real-world entity: canonical name, every surface form, its facts and evidence."""
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    attrs: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.attrs.get("identity", self.name))


@dataclass(frozen=True)
class Relation:
    subject: tuple[str, str]   # Entity.key
    predicate: str             # one of RELATIONS
    object: tuple[str, str]
    evidence: Evidence | None = None   # where the text states it; None: a `within` taken from the
                                       # gazetteer (Pipeline.hierarchy), which no sentence states


@dataclass
class Statistic:
    """A number the text reports: plain value, unit, what is counted, about what, when."""
    value: float
    unit: str
    measure: str
    surface: str                      # "6.3万名"
    start: int                        # offsets into Article.text
    end: int
    qualifier: str | None = None      # 余 / 多 / 近 / 以上 / 左右 / 超过 ... as written
    period: str | None = None         # "2023年", "近三年", "今年上半年" ...
    about: tuple[str, str] | None = None   # Entity.key
    # the period resolved against the article's date (kg.dates.resolve_period), where it can be
    period_start: str | None = None   # ISO date, inclusive
    period_end: str | None = None     # ISO date, inclusive
    year: int | None = None           # the calendar year the period lies in
