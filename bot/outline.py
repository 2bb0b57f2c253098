"""Lists a speech gives as its outline: 「突出重点要围绕哪几个方面干?」 is answered by the headings under
「二、突出重点,狠下实招」 — (一)围绕实体经济干, (二)围绕项目建设干 … — each the first line of a section of its own, too
far apart for any one passage or sentence to hold them all.

Ingest records each passage's heading path (「二、突出重点… > (一)围绕实体经济干」). The items of a list are, in one run
of one marker style numbered from one (第一, 第二 …; 一要, 二要 …; a section may hold two runs side by side), the
headings one level below a heading, or the marked sentences of one section (一要…。二要…。); or, for a question that
asks a count, sentences of one section opening alike (要坚决执行…制度。 ×6).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retrieval.analysis import QuestionAnalysis, Term
from retrieval.lexicon import lexicon
from retrieval.models import Chunk
from retrieval.sentences import sentences
from retrieval.textnorm import normalize

SEP = " > "
_PUNCT = re.compile(r"[^\w]|_")
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
PARALLEL_CHARS = 4  # sentences opening with this many characters alike are parallel items
PARALLEL_MIN = 3  # … when at least this many of one section do
_COUNTED = re.compile(r"[一二两三四五六七八九十几]+[个点条项种大类件]?")  # 哪三点, 六大: the count a list question asks
_NUM = "一二三四五六七八九十"
# An item's marker: its style (what stands around the numeral) and its number.
_MARKERS = (
    re.compile(rf"^第(?P<n>[{_NUM}]+)\s*[,，、:：]"),
    re.compile(rf"^(?P<n>[{_NUM}]+)(?P<style>是|要|抓|方面)"),
    re.compile(rf"^[(（](?P<n>[{_NUM}]+|\d{{1,2}})[)）]"),
    re.compile(rf"^(?P<n>[{_NUM}]+|\d{{1,2}})\s*[、.．](?!\d)"),
)


@dataclass(frozen=True)
class Outline:
    """The items a heading lists, each with the passage it opens (or stands in)."""

    heading: str  # the heading they stand under (its own line, not its path)
    items: tuple[tuple[str, Chunk], ...]
    cover: float  # the share of the question's words the heading and its items hold


def marker(label: str) -> tuple[str, int] | None:
    """(style, number) of an item's marker: 「(二)围绕项目建设干」 -> ("2", 2), 「三要…」 -> ("要", 3)."""
    text = normalize(label).strip()
    for i, pattern in enumerate(_MARKERS):
        m = pattern.match(text)
        if m:
            number = _number(m.group("n"))
            return (m.groupdict().get("style") or str(i), number) if number else None
    return None


def _number(n: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20; 0 for what is no numeral of an item (一二三产业)."""
    if n.isdigit():
        return int(n)
    m = re.fullmatch(rf"([{_NUM[:9]}]?)(十?)([{_NUM[:9]}]?)", n)
    if not m or not any(m.groups()) or (m.group(1) and not m.group(2) and m.group(3)):
        return 0
    tens = (_NUM.index(m.group(1)) + 1 if m.group(1) else 1) if m.group(2) else 0
    ones = _NUM.index(m.group(3) or m.group(1)) + 1 if (m.group(3) or not m.group(2)) else 0
    return tens * 10 + ones


def runs(children: Sequence[tuple[str, Chunk]]) -> list[list[tuple[str, Chunk]]]:
    """The children of a heading cut into runs of one marker style numbered 1, 2, 3 …"""
    out: list[list[tuple[str, Chunk]]] = []
    current: list[tuple[str, Chunk]] = []
    style = None
    for label, chunk in children:
        m = marker(label)
        if m and current and m[0] == style and m[1] == len(current) + 1:
            current.append((label, chunk))
            continue
        if len(current) >= 2:
            out.append(current)
        current, style = ([(label, chunk)], m[0]) if m and m[1] == 1 else ([], None)
    if len(current) >= 2:
        out.append(current)
    return out


def children(chunks: Sequence[Chunk], parent: str) -> list[tuple[str, Chunk]]:
    """The headings one level below `parent` (a heading path), each with its first passage, in document order."""
    prefix = parent + SEP
    seen: dict[str, Chunk] = {}
    for c in chunks:
        if c.heading.startswith(prefix):
            label = c.heading[len(prefix):].split(SEP)[0]
            seen.setdefault(label, c)
    return list(seen.items())


def find(a: QuestionAnalysis, docs: Sequence[str], doc_passages: Callable[[str], list[Chunk]],
         min_cover: float) -> Outline | None:
    """The outline list of one of `docs` (the retrieved passages' documents, best first) that answers a list
    question: the items under a heading that, with the heading, hold at least `min_cover` of the question's words,
    as many items as the question asks for when it says (哪三条)."""
    if a.answer.kind != "list":
        return None
    best: Outline | None = None
    for doc in dict.fromkeys(docs):
        chunks = doc_passages(doc)
        scene = " ".join(c.norm for c in chunks if not c.heading)  # title, speaker, occasion: before any heading
        parents = {SEP.join(c.heading.split(SEP)[:depth]) for c in chunks if c.heading
                   for depth in range(1, c.heading.count(SEP) + 1)}
        lists = [(parent.split(SEP)[-1], run) for parent in parents for run in runs(children(chunks, parent))]
        sections = _section_sentences(chunks)
        lists += marked_runs(sections)
        parallel = parallel_runs(sections) if a.answer.count else []
        for heading, run in [*lists, *parallel]:
            if a.answer.count and len(run) != a.answer.count:
                continue
            cover = _cover(a, normalize(heading), [normalize(label) for label, _ in run], scene)
            if cover >= min_cover and (best is None or cover > best.cover):
                best = Outline(heading, tuple(run), cover)
    return best


def _section_sentences(chunks: Sequence[Chunk]) -> dict[str, list[tuple[str, Chunk]]]:
    """Each section's sentences in order, each once (passages of a section repeat a sentence where they overlap)."""
    sections: dict[str, list[tuple[int, str, Chunk]]] = {}
    for c in chunks:
        seen = sections.setdefault(c.heading, [])
        done = {start for start, _, _ in seen}
        seen.extend((c.start + a, c.text[a:b], c) for a, b in sentences(c.text) if c.start + a not in done)
    return {path: [(text, c) for _, text, c in sents] for path, sents in sections.items()}


def parallel_runs(sections: dict[str, list[tuple[str, Chunk]]]) -> list[tuple[str, list[tuple[str, Chunk]]]]:
    """Items a section gives as sentences opening alike, without markers (「要坚决执行不定期抽查制度。…要坚决执行成效
    述职制度。」): at least PARALLEL_MIN sentences of one section whose first PARALLEL_CHARS characters agree. Only a
    question that asks for a count is answered with them: sentences opening alike are common where nothing is
    listed."""
    out = []
    for path, sents in sections.items():
        groups: dict[str, list[tuple[str, Chunk]]] = {}
        for text, chunk in sents:
            head = normalize(text.strip())[:PARALLEL_CHARS]
            if len(head) == PARALLEL_CHARS and _CJK_ONLY.fullmatch(head):
                groups.setdefault(head, []).append((text.strip().rstrip("。；;！!"), chunk))
        out += [(path.split(SEP)[-1], run) for run in groups.values() if len(run) >= PARALLEL_MIN]
    return out


def marked_runs(sections: dict[str, list[tuple[str, Chunk]]]) -> list[tuple[str, list[tuple[str, Chunk]]]]:
    """Items a section gives as marked sentences (「一要坚持不懈抓好治水拆违。…二要…」, or 「总体来说,实施乡村建设行动,
    第一,要…」), one run of one marker style numbered from one, each item the sentence from its marker on. The
    heading of a run is its section's heading with the words before its first marker."""
    out = []
    for path, sents in sections.items():
        items: list[tuple[str, Chunk]] = []
        lead = first = ""
        for text, chunk in sents:
            at = _marked_at(text)
            if at is None:
                continue
            label = text[at:].strip().rstrip("。；;！!")
            style, number = marker(label) or ("", 0)
            if items and (style, number) == (first, len(items) + 1):
                items.append((label, chunk))
                continue
            if len(items) >= 2:
                out.append((f"{path.split(SEP)[-1]} {lead}".strip(), items))
            items, lead, first = ([(label, chunk)], text[:at], style) if number == 1 else ([], "", "")
        if len(items) >= 2:
            out.append((f"{path.split(SEP)[-1]} {lead}".strip(), items))
    return out


def _marked_at(sentence: str) -> int | None:
    """Where an item's marker stands in a sentence: at its start, or after a clause that leads into the items."""
    norm = normalize(sentence)
    for m in re.finditer(r"(?:^|[,，:：])\s*", norm):
        if marker(norm[m.end():]) is not None:
            return m.end()
    return None


def _bare(text: str) -> str:
    """Without punctuation, quotes and spaces: 「"肯定成绩、坚定信心"部分」 finds 「一、肯定成绩,坚定信心」."""
    return _PUNCT.sub("", text)


def _cover(a: QuestionAnalysis, heading: str, items: list[str], scene: str) -> float:
    """The idf-weighted share of the question's own words that the heading holds, or most of its items (what they
    have in common: 围绕…干, 找差距; a word of one item only asks about that item), in any wording. Words that name
    the speech (its speaker, place, occasion: names, 讲话, or what the document's preamble holds) are the
    document's, not its headings': missing, they do not count; nor do the count asked (三点, 六大) and words that
    point into the speech's structure or say how it speaks (部分, 概括, 强调). The kind of thing asked for (the
    question's focus: 哪些企业) must be what the heading announces or what the items name."""
    lex = lexicon()

    def held(t: Term, where: str) -> bool:
        return any(x and _bare(x) in where for x in t.alts)

    def listed(t: Term) -> bool:
        return held(t, heading) or 2 * sum(held(t, item) for item in items) >= len(items)

    heading, items, scene = _bare(heading), [_bare(x) for x in items], _bare(scene)
    framing = (*lex.about_speech, *lex.outline_frames, *lex.speech_verbs)
    terms = [t for t in a.terms if (t.kind == "quoted" or (t.kind == "word" and not t.entity)) and not t.carried
             and t.text not in framing and not _COUNTED.fullmatch(t.text)]
    if any(t.focus and not listed(t) for t in terms):
        return 0.0  # 哪些企业签约: a list of a fair's two features names no firm, whatever else it shares
    total = sum(t.weight for t in terms if listed(t) or not held(t, scene))
    return sum(t.weight for t in terms if listed(t)) / total if total else 0.0
