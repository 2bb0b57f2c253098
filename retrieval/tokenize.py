"""Tokenisers for the two lexical channels: jieba words (with a domain dictionary) and character bigrams.

Both take normalised text (see textnorm). Number+unit runs such as 98.99亿元, 50%, 40个 are kept as one token
and also yield the bare number, so 「40」 in a question meets 「40个」 in a passage.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import jieba

from retrieval.lexicon import lexicon

jieba.setLogLevel(logging.WARNING)

UNITS = lexicon().unit_pattern  # longest first: 个百分点 before 个
# 98.99亿元, 4.81万平方米, 190余个, 50%: magnitude and unit stay with the number.
# A magnitude is not the start of a unit: 36百分点, 36千瓦, 5千米.
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:余|多)?(?:万亿|亿|万|千(?![瓦米克])|百(?!分))?(?:" + UNITS + r")?")
TOKENIZER_VERSION = 5  # bump when tokenisation changes: indexes built before must be rebuilt
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
    return (f"v{TOKENIZER_VERSION}-jieba-{jieba.__version__}-terms-{hashlib.sha1(data).hexdigest()[:10]}"
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
def _segmenter() -> jieba.Tokenizer:
    seg = jieba.Tokenizer()
    seg.initialize()
    for term in _domain_terms():
        seg.add_word(term, freq=2000)
    return seg


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


def words(text: str) -> list[str]:
    """jieba search-mode tokens of normalised text, stop words and punctuation dropped."""
    seg = _segmenter()
    out: list[str] = []
    for is_number, piece in _pieces(text):
        if is_number:
            out.extend(_number_tokens(piece))
            continue
        for tok in (t for part in _bounded(piece) for t in seg.cut_for_search(part)):
            tok = tok.strip()
            if tok and tok not in STOPWORDS and _WORDISH.search(tok):
                out.append(tok)
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of CJK runs, plus whole latin/number runs: the channel that survives segmentation misses."""
    out: list[str] = []
    for m in _CJK.finditer(text):
        run = m.group()
        out.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
    out.extend(_ALNUM.findall(text))
    return out


def cut(text: str) -> list[str]:
    """Plain jieba segmentation (no search-mode sub-words), punctuation kept: for sentence analysis."""
    seg = _segmenter()
    return [t for part in _bounded(text) for t in seg.lcut(part) if t.strip()]

