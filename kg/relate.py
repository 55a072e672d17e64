"""Stage 6: relations between the entities of an article, and what each statistic is about.

Input: an article, its selected mentions and their entity keys, the divisions
it is about (focus), and the pairs the program finder read off the text
(partOf, targets). Output: `Relation`s with evidence, and statistics with
their `about`.

Who runs a program and where is read the way a careful reader reads it: the
subject of the sentence (an organization or a division named first, after a
time phrase such as 近年来), else the subject of the paragraph's first
sentence, else the subject the article opens with; the place defaults to the
division the article is about.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .model import Article, Evidence, Mention, Relation, Statistic

Key = tuple[str, str]

# Time and linking phrases that may stand before a sentence's subject.
_LEAD = re.compile(r"^[“\"]?(?:(?:近年来|近日|日前|连日来|同时|此外|另外|据悉|目前|如今|当前|今年以来|"
                   r"今年|去年|一年来|[0-9]{4}年(?:[0-9]{1,2}月)?(?:以来|起)?|[0-9一二三四五六七八九十]+年来|"
                   r"近[一二三四五六七八九十两]年来?|截至目前|其中)[,，、]?)*")
SUBJECT_TYPES = ("Organization", "AdministrativeUnit")


@dataclass
class Located:
    """A mention with its entity key."""
    mention: Mention
    key: Key


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def sentence_subject(article: Article, sentence_index: int, located: list[Located]) -> Located | None:
    """The organization or division a sentence opens with, if any.

    A written chain of divisions (甘肃省兰州市) counts as its last, deepest link;
    an organization whose name starts with a division (兰州市委组织部) wins over it.
    """
    s = article.sentences[sentence_index]
    if article.is_credit(s.start):
        return None
    lead = _LEAD.match(s.text)
    begin = s.start + (lead.end() if lead else 0)
    candidates = [loc for loc in located
                  if loc.mention.type in SUBJECT_TYPES and begin <= loc.mention.start <= begin + 1]
    if not candidates:
        return None
    best = max(candidates, key=lambda loc: (loc.mention.end - loc.mention.start,
                                            loc.mention.type == "Organization"))
    if best.mention.type == "AdministrativeUnit":
        # follow the chain: 甘肃省 → 兰州市 written right after it
        end = best.mention.end
        for loc in sorted(located, key=lambda l: l.mention.start):
            if loc.mention.type == "AdministrativeUnit" and loc.mention.start == end:
                best, end = loc, loc.mention.end
        org_after = [loc for loc in located if loc.mention.type == "Organization"
                     and loc.mention.start == best.mention.start]
        if org_after:
            best = max(org_after, key=lambda loc: loc.mention.end)
    return best


class Topics:
    """The subject in force for each sentence: its own, its paragraph's, the article's."""

    def __init__(self, article: Article, located: list[Located]):
        self.article = article
        self.own = [sentence_subject(article, i, located) for i in range(len(article.sentences))]
        starts = _paragraph_starts(article.text)
        self.paragraph_first: list[int] = []
        p = 0
        for s in article.sentences:
            while p + 1 < len(starts) and starts[p + 1] <= s.start:
                p += 1
            first = next(x.index for x in article.sentences if x.start >= starts[p])
            self.paragraph_first.append(first)
        self.lead = next((subj for subj in self.own if subj is not None), None)

    def subject(self, sentence_index: int, type_: str) -> Located | None:
        """The sentence's own subject of that type, else its paragraph's; an organization may
        also come from the article's opening (a division does not: the article's focus,
        which the caller knows, says better where the article is)."""
        candidates = [self.own[sentence_index], self.own[self.paragraph_first[sentence_index]]]
        if type_ == "Organization":
            candidates.append(self.lead)
        for candidate in candidates:
            if candidate is not None and candidate.mention.type == type_:
                return candidate
        return None


def relate_article(article: Article, located: list[Located], focus: Key | None,
                   names: dict[tuple[str, str], Key],
                   part_pairs: list[tuple[int, int]], target_pairs: list[tuple[int, int]],
                   programs: list[Located], groups: list[Located]) -> list[Relation]:
    """Relations read off one article.

    `names` maps (type, canonical name or alias) to entity keys for the whole
    build so far, so that a name an attribute refers to (a parent organization,
    the division an organization sits in) finds its entity.
    """
    topics = Topics(article, located)
    relations: list[Relation] = []

    def add(subject: Key, predicate: str, obj: Key | None, mention: Mention):
        if obj is None or obj == subject:
            return
        relations.append(Relation(subject, predicate, obj,
                                  Evidence(article.doc_id, article.index, mention.start, mention.end)))

    divisions_here = [loc for loc in located if loc.mention.type == "AdministrativeUnit"]

    def division_named(name: str | None) -> Key | None:
        if not name:
            return None
        for loc in divisions_here:
            if loc.mention.name == name or loc.mention.surface == name:
                return loc.key
        return names.get(("AdministrativeUnit", name))

    def division_before(m: Mention) -> Key | None:
        """The division written at the start of (or right before) a name: 武山县南关社区党群服务中心."""
        inside = [loc for loc in divisions_here
                  if m.start <= loc.mention.start and loc.mention.end < m.end]
        if inside:
            return max(inside, key=lambda loc: loc.mention.end).key
        return None

    paragraph_starts = _paragraph_starts(article.text)

    def division_near(m: Mention) -> Key | None:
        """The place a reader takes the text around m to be in: the division the sentence
        opens with, else the one named nearest before m in the sentence, else the
        paragraph's, else one named after m in the sentence, else the nearest before m in
        the paragraph."""
        sentence = article.sentence_at(m.start)
        paragraph = paragraph_starts[bisect_right(paragraph_starts, m.start) - 1]
        before = [loc for loc in divisions_here if paragraph <= loc.mention.start < m.start]
        in_sentence = [loc for loc in before if loc.mention.start >= sentence.start]
        own = topics.own[sentence.index]
        if own is not None and own.mention.type == "AdministrativeUnit":
            return own.key
        if in_sentence:
            return in_sentence[-1].key
        subject = topics.subject(sentence.index, "AdministrativeUnit")
        if subject is not None:
            return subject.key
        after = [loc for loc in divisions_here if m.end <= loc.mention.start < sentence.end]
        if after:
            return after[0].key
        return before[-1].key if before else None

    party_names = {loc.mention.name for loc in located
                   if loc.mention.type == "Organization" and loc.mention.attrs.get("party")}

    for loc in located:
        m, key = loc.mention, loc.key
        sentence = article.sentence_at(m.start).index
        if m.type == "Organization":
            place = division_named(m.attrs.get("located_in")) or division_before(m)
            add(key, "locatedIn", place, m)
            add(key, "subOrganizationOf", names.get(("Organization", m.attrs.get("parent") or "")), m)
        elif m.type in ("Facility", "Place"):
            place = division_named(m.attrs.get("located_in") or m.attrs.get("locatedIn")) \
                or division_before(m) or division_near(m) or focus
            add(key, "locatedIn", place, m)
        elif m.type == "Person":
            for name in m.attrs.get("affiliations", []):
                add(key, "affiliatedWith", names.get(("Organization", name)) or division_named(name), m)
            for _title, org in m.attrs.get("posts", []):
                add(key, "affiliatedWith", names.get(("Organization", org or "")), m)
        elif m.type == "Program":
            runner = topics.subject(sentence, "Organization")
            place = topics.subject(sentence, "AdministrativeUnit")
            if runner is not None:
                add(key, "runBy", runner.key, m)
                # a party branch's program runs inside the company or body the branch belongs to
                parent = names.get(("Organization", runner.mention.attrs.get("parent") or ""))
                if runner.mention.attrs.get("party") and parent is not None \
                        and runner.mention.attrs["parent"] not in party_names:
                    add(key, "implementedIn", parent, m)
            if place is not None:
                add(key, "implementedIn", place.key, m)
            elif runner is not None and division_named(runner.mention.attrs.get("located_in")):
                add(key, "implementedIn", division_named(runner.mention.attrs.get("located_in")), m)
            else:
                add(key, "implementedIn", focus, m)
    for part, whole in part_pairs:
        add(programs[part].key, "partOf", programs[whole].key, programs[part].mention)
    for program, group in target_pairs:
        add(programs[program].key, "targets", groups[group].key, programs[program].mention)
    return _unique(relations)


def statistics_about(article: Article, stats: list[Statistic], located: list[Located],
                     focus: Key | None) -> None:
    """Set each statistic's `about`: the sentence's subject, else the paragraph's, else the focus."""
    topics = Topics(article, located)
    for st in stats:
        sentence = article.sentence_at(st.start).index
        subject = None
        for type_ in ("Organization", "AdministrativeUnit"):
            candidate = topics.own[sentence]
            if candidate is not None and candidate.mention.type == type_:
                subject = candidate
                break
        if subject is None:
            subject = topics.subject(sentence, "AdministrativeUnit") or topics.subject(sentence, "Organization")
        st.about = subject.key if subject is not None else focus


def _unique(relations: list[Relation]) -> list[Relation]:
    seen: set[tuple] = set()
    out = []
    for r in relations:
        k = (r.subject, r.predicate, r.object)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
