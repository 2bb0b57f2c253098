"""The check a model's answer passes before anyone sees it.

Every marker [n] must name a passage that was given; every sentence that makes a claim must cite one; every
number with its unit must appear in a passage that its sentence cites. Problems are written in Chinese so the
retry prompt can hand them straight back to the model.
"""

from __future__ import annotations

import re

from bot.llm.passages import format_passage
from bot.models import Citation
from bot.numbers import extract_figures, numbers_supported

_MARKER = re.compile(r"[\[［【]\s*(\d+(?:\s*[,，、\-–~]\s*\d+)*)\s*[\]］】]")
# Semicolons do not end a sentence: models often cite once at the end of "A；B[1]。".
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n+")
_LEADING_MARKERS = re.compile(rf"^\s*(?:{_MARKER.pattern}\s*)+")
_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff\w]")
# "the passages do not say": not a claim about the speeches, so it needs no citation
_NOT_COVERED = re.compile(
    r"(片段|材料|资料|讲话|原文)[^。]{0,8}(没有|未|并未|无)[^。]{0,6}(提及|提到|涉及|说明|相关|内容)"
)
_CLAIM_CHARS = 6


def check_answer(text: str, citations: list[Citation]) -> list[str]:
    """The problems with `text` as an answer from `citations` (empty if it passes)."""
    markers = [n for group in _MARKER.findall(text) for n in _numbers(group)]
    if not markers:
        return ["回答中没有任何 [n] 引用标记：每一句话都必须注明依据的片段编号。"]
    problems = [
        f"引用了不存在的片段[{n}]：只提供了 [1] 到 [{len(citations)}]。"
        for n in dict.fromkeys(markers)
        if not 1 <= n <= len(citations)
    ]
    for sentence in split_sentences(text):
        problems.extend(_sentence_problems(sentence, citations))
    return problems


def split_sentences(text: str) -> list[str]:
    """Sentences, with markers written after the full stop ("……。[2]") moved back to their sentence."""
    sentences: list[str] = []
    for part in _SENTENCE_END.split(text):
        lead = _LEADING_MARKERS.match(part)
        if lead and sentences:
            sentences[-1] += lead.group(0).strip()
            part = part[lead.end() :]
        if part.strip():
            sentences.append(part.strip())
    return sentences


def _sentence_problems(sentence: str, citations: list[Citation]) -> list[str]:
    cited = [n for group in _MARKER.findall(sentence) for n in _numbers(group) if 1 <= n <= len(citations)]
    plain = _MARKER.sub("", sentence).strip()
    if not cited:
        if _is_claim(plain) and not _MARKER.search(sentence):
            return [f"这句话没有注明依据的片段：「{plain}」"]
        return []
    passages = [format_passage(n, citations[n - 1]) for n in dict.fromkeys(cited)]
    where = "".join(f"[{n}]" for n in dict.fromkeys(cited))
    return [f"数字“{figure}”在所引片段{where}中找不到：「{plain}」" for figure in numbers_supported(plain, passages)]


def _is_claim(plain: str) -> bool:
    if plain.endswith((":", "：")) or _NOT_COVERED.search(plain):
        return False
    return bool(extract_figures(plain)) or len(_CJK_OR_WORD.findall(plain)) >= _CLAIM_CHARS


def _numbers(group: str) -> list[int]:
    """ "1, 3" -> [1, 3]; "2-4" -> [2, 3, 4] (ranges capped, so [1-9999] cannot explode)."""
    numbers: list[int] = []
    for item in re.split(r"\s*[,，、]\s*", group):
        ends = [int(x) for x in re.split(r"\s*[\-–~]\s*", item) if x]
        if len(ends) == 2 and 0 < ends[1] - ends[0] <= 20:
            numbers.extend(range(ends[0], ends[1] + 1))
        else:
            numbers.extend(ends)
    return numbers
