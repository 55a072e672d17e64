"""Documents: titled texts (policies, plans, regulations, registers, books, songs, videos,
newspapers).

* every 《…》 title, unless it names a game or show (《爱的传递》等互动游戏 is a program);
* unbracketed documents that a verb introduces: 制定|印发|出台|编制|签订 … 意见/办法/方案/清单/
  措施/规划/条例/细则/手册/协议 (制定加强网格党建引领网格治理的意见);
* the newspaper of a byline (新甘肃·甘肃日报记者 → 《甘肃日报》).

A bracketed name keeps its 《》 (the annotation guidelines write it so); a newspaper is
always named with them, so that 《甘肃日报》 in the text and 甘肃日报 in a byline are one entity.

The finder reads a kg.doc.Doc: find_documents(doc).
"""
from __future__ import annotations

import re

from .. import vocab
from ..doc import Doc
from ..model import Mention
from ..vocab import alternation, char_class
from .programs import CLAUSE_BREAKS, strip_quotes

_NOT_A_DOCUMENT_AFTER = re.compile(r"^(?:等)?[\u4e00-\u9fff]{0,4}?" + f"({alternation(vocab.NOT_DOCUMENT_AFTER)})")
_YEAR_NOTE = re.compile(r"[(（][^()（）]{1,16}[)）]$")
_NEWSPAPER = re.compile(f"({alternation(vocab.NEWSPAPER)})$")
_LAW = re.compile(f"({alternation(vocab.LAW_TITLE)})$")
_BYLINE = re.compile(r"(?:([\u4e00-\u9fff]{2,6})·)?([\u4e00-\u9fff]{2,6}" + f"(?:{alternation(vocab.BYLINE_PAPER)}))(?:社)?"
                     r"(?=\s*(?:全媒体)?" + f"(?:{alternation(vocab.REPORTER)}))")
_DOC_VERBS = re.compile(f"({alternation(vocab.DOC_VERB)})")
# Agreements (签订…协议) are mostly kinds (合作协议, 保底收购协议); one is a document only
# when its name says whose it is: it opens with a division (兰州市安宁区…共建协议) or holds a quoted name.
_NAMED_BODY = re.compile(rf"^[\u4e00-\u9fff]{{2,8}}?{char_class(vocab.NAMED_BODY_LEVELS)}(?![委级])|[“‘\"]")
_LEAD_FILLER = re.compile(f"(?:{alternation(vocab.DOC_FILLER)})+")
# (longest first: the first that ends where a name may end wins, 实施意见 over 意见)
_DOC_SUFFIXES = vocab.longest_first(vocab.DOC_SUFFIX)
_GENERIC_DOC = re.compile(r"^[\d一二三四五六七八九十百几多]*(条|项|张|个|份)?"
                          f"(?:{alternation(vocab.GENERIC_DOC)})*$")


def _kind(title: str) -> str:
    if _NEWSPAPER.search(title):
        return "newspaper"
    if _LAW.search(title):
        return "policy"
    return "work"


def find_documents(doc: Doc) -> list[Mention]:
    """Every document mention in an article's clean text (see the module docstring)."""
    text = doc.text
    out: list[Mention] = []
    out += _titled(doc)
    out += _bylines(text)
    out += _introduced(text, out)
    return sorted(out, key=lambda m: (m.start, m.end))


def _titled(doc: Doc) -> list[Mention]:
    """《…》: the name as written, aliases without the marks and without a closing note in
    brackets ((试行), (2024—2026年))."""
    text = doc.text
    out = []
    for s, e in doc.titles:
        inner = text[s + 1:e - 1]
        if _NOT_A_DOCUMENT_AFTER.match(text[e:e + 8]):
            continue
        aliases = {inner}
        short = _YEAR_NOTE.sub("", inner) or inner
        aliases.add(short)
        out.append(Mention("Document", text[s:e], s, e, text[s:e], {"kind": _kind(short), "aliases": aliases}))
    return out


def _bylines(text: str) -> list[Mention]:
    """The newspaper of a byline (新甘肃·甘肃日报记者 X), named 《甘肃日报》; 本报 is an alias
    where the article says 本报…讯."""
    out = []
    for m in _BYLINE.finditer(text):
        paper = m.group(2)
        aliases = {paper}
        if m.group(1):
            aliases.add(f"{m.group(1)}·{paper}")
        if "本报" in text:
            aliases.add("本报")
        out.append(Mention("Document", text[m.start(2):m.end(2)], m.start(2), m.end(2), f"《{paper}》",
                           {"kind": "newspaper", "aliases": aliases}))
    return out


def _introduced(text: str, found: list[Mention]) -> list[Mention]:
    """Unbracketed documents after a verb of making (制定, 印发, 出台, 编制, 签订 …): the name runs
    from the verb to a document word (意见, 办法, 清单 …) within the clause; several joined by
    和/及/、 after one verb are several documents. Names made of counts and generic words
    (制定47条具体推进措施) are none, nor are lists (依法履职、协助政府…的事项3张清单), nor agreements
    that name no party (签订保底收购协议, see `_NAMED_BODY`)."""
    out = []
    for v in _DOC_VERBS.finditer(text):
        pos = v.end()
        if text.startswith("《", pos):
            continue
        end = pos
        while end < len(text) and text[end] not in CLAUSE_BREAKS and end - pos < 60:
            end += 1
        cur = pos
        while cur < end:
            m = _LEAD_FILLER.match(text, cur)
            if m and m.end() > cur:
                cur = m.end()
            hit = None
            for i in range(cur + 2, end + 1):
                suf = next((s for s in _DOC_SUFFIXES if text.startswith(s, i - len(s)) and i - len(s) >= cur), None)
                if suf and not (i < len(text) and text[i] in "制"):
                    hit = (i, suf)
                    break
            if hit is None:
                break
            i, suf = hit
            name = text[cur:i]
            word = min((s for s in _DOC_SUFFIXES if name.endswith(s)), key=len)
            body = strip_quotes(name[:-len(word)])
            ok = (len(body) >= 3 and not _GENERIC_DOC.match(body) and "、" not in strip_quotes(name)
                  and (word != "协议" or _NAMED_BODY.search(name))
                  and not re.search(r"[《》]", name) and not name.startswith("的")
                  and not any(m2.start <= cur < m2.end for m2 in found))
            if ok:
                out.append(Mention("Document", name, cur, i, name,
                                   {"kind": "policy", "aliases": {strip_quotes(name)} - {name}}))
            if i < end and text[i] in "和及、":
                cur = i + 1
                continue
            break
    return out
