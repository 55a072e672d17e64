"""Reading an article: its Doc built once, then every finder in turn.

    doc = read_doc(article, gazetteer, segmenter)
    for finder in FINDERS:
        doc.mentions += finder(doc)

A finder reads what the finders before it found in doc.mentions, hence the order of
FINDERS: places read the divisions; organizations the divisions; people the organizations
and the divisions. The mentions of all of them overlap; kg.resolve.select_mentions settles
which are kept.
"""
from __future__ import annotations

from ..doc import Doc, find_quotes, name_quotes, sentence_marks, title_spans
from ..gazetteer import Division, Gazetteer
from ..model import Article, Mention
from ..segment import Segmenter
from ..split import split_sentences
from .documents import find_documents
from .organizations import find_organizations
from .people import find_people
from .places import division_candidates, find_divisions, find_places, read_focus
from .programs import find_programs, quoted_programs, read_parts
from .terms import find_facilities, find_platforms, find_target_groups

FINDERS = (find_divisions, find_places, find_organizations, find_people, find_programs,
           find_target_groups, find_facilities, find_platforms, find_documents)


def read_doc(article: Article, gazetteer: Gazetteer, segmenter: Segmenter) -> Doc:
    """The Doc of an article, before any finder ran: its tokens, quotes, titles, focus and
    the parts of wholes its text shows."""
    candidates = division_candidates(article.text, gazetteer)
    return _read(article, gazetteer, segmenter, read_focus(article, gazetteer, candidates), candidates)


def doc_from_text(text: str, gazetteer: Gazetteer | None, segmenter: Segmenter, *, title: str = "",
                  dateline: str | None = None, creators: tuple[str, ...] | list[str] = (),
                  contributors: tuple[str, ...] | list[str] = (), focus: list[Division] | None = None,
                  mentions: list[Mention] | tuple[Mention, ...] = ()) -> Doc:
    """The Doc of a bare text taken as one clean article (for tests and tools): the title,
    dateline and byline names given; its focus read with the gazetteer unless given (none
    without a gazetteer); `mentions` as if found by earlier finders (hand-made divisions)."""
    article = Article("text", 0, title, text, list(range(len(text))), split_sentences(text),
                      list(creators), list(contributors), dateline=dateline, source=text)
    candidates = division_candidates(text, gazetteer) if gazetteer is not None else None
    if focus is None:
        focus = read_focus(article, gazetteer, candidates) if gazetteer is not None else []
    doc = _read(article, gazetteer, segmenter, list(focus), candidates)
    doc.mentions = list(mentions)
    return doc


def _read(article: Article, gazetteer: Gazetteer | None, segmenter: Segmenter,
          focus: list[Division], candidates: tuple | None) -> Doc:
    text = article.text
    quotes = find_quotes(text)
    doc = Doc(article, segmenter.tokens(text), quotes, name_quotes(quotes), title_spans(text),
              focus, segmenter, gazetteer)
    doc.sentence_marks = sentence_marks(text)
    doc.division_candidates = candidates     # kg.find.places.division_candidates of the text
    doc.quoted_programs = tuple(quoted_programs(doc))
    doc.parts = read_parts(doc)         # the rules read the quotes, titles and sentences above
    return doc
