"""Tokenisers for the two lexical channels: jieba words (with a domain dictionary) and character bigrams.

Both take normalised text (see textnorm). Number+unit runs such as 98.99亿元, 50%, 40个 are kept as one token
and also yield the bare number, so 「40」 in a question meets 「40个」 in a passage.

Words are cut by jieba-rs (`rjieba`): jieba's own dictionary and algorithm in Rust, about 17x faster than Python
jieba on news text with 99.6% of tokens the same (the differences are latin runs: risc-v, wi-fi stay whole).
Python jieba stays where part-of-speech tags are read (`pos_tagger`: question analysis, answer spans, metadata).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata, resources

import rjieba

from retrieval.lexicon import lexicon

UNITS = lexicon().unit_pattern  # longest first: 个百分点 before 个
# 98.99亿元, 4.81万平方米, 190余个, 50%: magnitude and unit stay with the number.
# A magnitude is not the start of a unit: 36百分点, 36千瓦, 5千米.
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:余|多)?(?:万亿|亿|万|千(?![瓦米克])|百(?!分))?(?:" + UNITS + r")?")
TOKENIZER_VERSION = 6  # bump when tokenisation changes: indexes built before must be rebuilt
_ALNUM = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORDISH = re.compile(r"[\w\u3400-\u9fff]")
# jieba's HMM keeps a path per character of an unbroken run: its time grows with the run's square, so a line of
# 100,000 characters without punctuation took minutes. Runs are handed to it in pieces of at most this length.
MAX_RUN = 200
_LONG_RUN = re.compile(r"[\u3400-\u9fffa-zA-Z0-9+#&._%\-]{" + str(MAX_RUN + 1) + ",}")

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 也 都 要 把 被 对 从 为 以 于 而 并 就 将 这 那 这个 那个 这些 那些 其 之 所 "
    "有 没有 吗 呢 吧 啊 呀 么 什么 怎么 怎么样 怎样 如何 哪 哪些 哪个 哪几 哪里 哪儿 多少 几 几个 谁 "
    "为什么 是否 是不是 请问 一下 讲 说 提到 提出 里 中 上 下 我 我们 你 你们 他 她 它 他们 "
    "个 一个 一些 还 又 再 已 已经 会 能 可以 该 得 着 过 让 给 向 到 多 "
    "\" ' , . : ; ! ? ( ) 、 。 , ! ? ; : … — - · ／ / ＞ > < [ ] 【 】 《 》".split()
)


def terms_version() -> str:
    """A short hash of the domain dictionary, recorded in the index manifest."""
    data = resources.files("retrieval.data").joinpath("terms.txt").read_bytes()
    return (f"v{TOKENIZER_VERSION}-rjieba-{metadata.version('rjieba')}-terms-{hashlib.sha1(data).hexdigest()[:10]}"
            f"-units-{hashlib.sha1(UNITS.encode()).hexdigest()[:6]}")


def _domain_terms() -> Iterable[str]:
    text = resources.files("retrieval.data").joinpath("terms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split()[0]
    try:
        from retrieval.gazetteer import place_terms
    except ImportError:  # gazetteer data not installed: the segmenter still works, just without places
        return
    yield from place_terms()


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    seg = rjieba.Jieba()  # jieba's dictionary, built into the binding (0.1 s)
    for term in _domain_terms():
        seg.add_word(term, 2000, None)
    return seg


@lru_cache(maxsize=1)
def pos_tagger():  # type: ignore[no-untyped-def]
    """Python jieba's part-of-speech tagger (names, places), loaded on first use and quiet (jieba logs its
    dictionary loading at DEBUG level otherwise)."""
    import jieba

    jieba.setLogLevel(60)
    try:
        import jieba.posseg  # reads its tag dictionary
    except ValueError as exc:  # jieba reports any failure there as a bad dictionary line, running out of memory too
        if isinstance(exc.__context__, MemoryError):
            raise MemoryError("no memory left to load jieba's part-of-speech dictionary") from exc
        raise
    return jieba.posseg


def dictionary_word(word: str) -> bool:
    """Whether jieba's own dictionary holds `word` (not a word its HMM made up for an unknown run: 尾鳝)."""
    tokenizer = pos_tagger().dt.tokenizer
    tokenizer.check_initialized()
    return bool(tokenizer.FREQ.get(word))


def plain_segmenter() -> rjieba.Jieba:
    """jieba's dictionary alone, without our words: where user words must not move boundaries (gazetteer). The
    binding builds this one when imported (rjieba.cut uses it), so it costs nothing more."""
    return rjieba._DEFAULT_JIEBA


def _pieces(text: str) -> Iterable[tuple[bool, str]]:
    """Split text into (is_number, piece) runs so number+unit runs never reach jieba."""
    pos = 0
    for m in NUMBER.finditer(text):
        if m.start() > pos:
            yield False, text[pos : m.start()]
        yield True, m.group()
        pos = m.end()
    if pos < len(text):
        yield False, text[pos:]


def _bounded(text: str) -> Iterable[str]:
    """`text` in consecutive parts, cutting only runs longer than MAX_RUN (normal prose has punctuation)."""
    pos = 0
    for m in _LONG_RUN.finditer(text):
        for cut in range(m.start() + MAX_RUN, m.end(), MAX_RUN):
            yield text[pos:cut]
            pos = cut
    yield text[pos:]


def _number_tokens(run: str) -> list[str]:
    """The whole run, the number with its magnitude (4万), and the bare number: 4万平方米 -> 3 tokens."""
    bare = re.match(r"\d+(?:\.\d+)?", run).group()
    magnitude = re.match(r"\d+(?:\.\d+)?(?:余|多)?(?:万亿|亿|万|千|百)?", run).group()
    return list(dict.fromkeys([run, magnitude, bare]))


class _Kept(dict):
    """Token -> itself stripped, or "" when it is a stop word or punctuation: decided once per distinct token."""

    def __missing__(self, tok: str) -> str:
        t = tok.strip()
        kept = t if t and t not in STOPWORDS and _WORDISH.search(t) else ""
        if len(self) < 500_000:
            self[tok] = kept
        return kept


_KEPT = _Kept()


def words(text: str) -> list[str]:
    """jieba search-mode tokens of normalised text, stop words and punctuation dropped."""
    seg = _segmenter()
    out: list[str] = []
    for is_number, piece in _pieces(text):
        if is_number:
            out.extend(_number_tokens(piece))
        else:  # filter/map keep the per-token work in C: this runs over every passage ingested
            for part in _bounded(piece):
                out.extend(filter(None, map(_KEPT.__getitem__, seg.cut_for_search(part))))
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of CJK runs, plus whole latin/number runs: the channel that survives segmentation misses."""
    out: list[str] = []
    for run in _CJK.findall(text):
        n = len(run)
        out.extend(map(run.__getitem__, map(slice, range(n - 1), range(2, n + 1)))) if n > 1 else out.append(run)
    out.extend(_ALNUM.findall(text))
    return out


def latin_runs(text: str) -> list[str]:
    """The latin letter and number runs the bigram channel keeps whole."""
    return _ALNUM.findall(text)


def cut(text: str) -> list[str]:
    """Plain jieba segmentation (no search-mode sub-words), punctuation kept: for sentence analysis."""
    seg = _segmenter()
    return [t for part in _bounded(text) for t in seg.cut(part) if t.strip()]

