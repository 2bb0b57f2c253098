"""Query analysis: normalised text, tokens for each channel, weighted key terms with synonyms, places, years."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from retrieval.textnorm import normalize
from retrieval.tokenize import NUMBER, STOPWORDS, bigrams, cut, words

# Words that shape a question but never appear in its answer.
QUESTION_WORDS = frozenset(
    "多少 几 几个 几次 几天 几年 什么 啥 哪 哪些 哪个 哪几 哪几个 哪里 哪儿 哪天 哪年 谁 怎么 怎样 如何 怎么样 "
    "哪一年 哪一天 哪一个 时候 什么时候 为什么 为何 是否 是不是 吗 呢 请问 一下 要求 情况 问题 方面 "
    "指的是 指 叫 名字 打算 主要 具体 分别 哪些地方 哪个地方 什么地方 报道 文章 "
    "有 是 要 会 能 可以 用 用了 达到 到 了 讲 说 提到 提出 一共 共 总共 的话 讲话 上".split()
)
_YEAR = re.compile(r"((?:19|20)\d{2})年?")
_QUOTED = re.compile(r'"([^"]{2,12})"')


@lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, tuple[str, ...]]:
    text = resources.files("retrieval.data").joinpath("synonyms.txt").read_text(encoding="utf-8")
    groups: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            members = tuple(normalize(w) for w in line.split())
            for w in members:
                groups.setdefault(w, members)
    return groups


def alternatives(term: str) -> tuple[str, ...]:
    """The term and the other wordings of the same thing."""
    return _synonym_groups().get(term, (term,))


def find_places(text: str) -> list[str]:
    try:
        from retrieval.gazetteer import find_places as _find
    except ImportError:
        return []
    return _find(text)


def place_key(name: str) -> str:
    try:
        from retrieval.gazetteer import place_key as _key
    except ImportError:
        return name
    return _key(name)


@dataclass
class Term:
    text: str
    alts: tuple[str, ...]
    kind: str = "word"  # word | place | year | number


@dataclass
class Query:
    text: str
    norm: str
    words: list[str]
    bigrams: list[str]
    terms: list[Term] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def analyze(question: str) -> Query:
    """Split a question into what each channel searches for and the terms an answer must cover."""
    norm = normalize(question)
    places = find_places(norm)
    years = [int(y) for y in _YEAR.findall(norm)]
    terms: list[Term] = []
    seen: set[str] = set()
    place_keys = {place_key(p) for p in places}
    quoted = [q for q in _QUOTED.findall(norm) if not _YEAR.fullmatch(q)]
    for q in quoted:  # 「"三走工作法"」 is a name to find as written, not words to find anywhere
        seen.add(q)
        terms.append(Term(q, (q,)))
    for tok in _key_tokens(norm):
        if any(tok in q for q in quoted):
            continue
        if tok in seen:
            continue
        seen.add(tok)
        if tok in places or place_key(tok) in place_keys:
            terms.append(Term(tok, (tok, place_key(tok)), "place"))
        elif _YEAR.fullmatch(tok):
            terms.append(Term(tok, (tok,), "year"))
        elif NUMBER.fullmatch(tok):
            terms.append(Term(tok, (tok,), "number"))
        else:
            terms.append(Term(tok, alternatives(tok)))
    return Query(question, norm, words(norm), bigrams(norm), terms, places, years)


def expansion(query: Query, known: Callable[[str], bool]) -> list[str]:
    """Words of the other wordings of question terms the index has never seen (欠债 -> 债务)."""
    return [w for t in query.terms if t.kind == "word" and not known(t.text)
            for a in t.alts if a != t.text for w in words(a)]


def _key_tokens(norm: str) -> list[str]:
    out = []
    for tok in _join_singles(cut(norm)):
        if tok in STOPWORDS or tok in QUESTION_WORDS or not re.search(r"[\w\u3400-\u9fff]", tok):
            continue
        if len(tok) == 1 and not tok.isdigit() and tok not in _synonym_groups():
            continue  # single characters carry little; bigram coverage handles them
        out.append(tok)
    return out


def _join_singles(tokens: list[str]) -> list[str]:
    """Rejoin runs of single characters jieba could not segment: 津/蓟/铁路 -> 津蓟, 郭/麐 -> 郭麐 (names it does
    not know come out as single characters, and dropping them would lose the question's subject)."""
    out: list[str] = []
    run = ""
    for tok in [*tokens, ""]:
        single = len(tok) == 1 and "\u3400" <= tok <= "\u9fff" and tok not in STOPWORDS and tok not in QUESTION_WORDS
        if single:
            run += tok
            continue
        if run:
            out.append(run)
            run = ""
        if tok:
            out.append(tok)
    return out
