"""Evaluation figures, computed as ../shared/eval/score.py computes them (an oracle test checks they agree)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from retrieval.textnorm import to_simplified

MARK = re.compile(r"\[(\d{1,3})\]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS = re.compile(r"\((?=[^)]*[" + _TONED + r"])[a-zü" + _TONED + r"]{1,8}\)")
_PUNCT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
                        "（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "％": "%"})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(_GLOSS.sub("", text)).translate(_PUNCT)
    return re.sub(r"\s+", "", text).lower()


def _cited(ans: dict) -> list[dict]:
    cits = ans.get("citations") or []
    return [cits[int(n) - 1] for n in MARK.findall(ans.get("answer") or "") if 0 < int(n) <= len(cits)]


def _has(passages: list[dict], needles: Iterable[str]) -> bool:
    texts = [norm(p.get("text", "")) for p in passages]
    return all(any(norm(e) in t for t in texts) for e in needles)


def _hit(q: dict, cits: list[dict]) -> bool:
    if "answer_groups" in q:
        gold = set(q.get("gold_doc_ids") or [])
        return any(str(c.get("doc_id")) in gold for c in cits) or any(
            norm(x) in norm(c.get("text", "")) for c in cits for x in q["answers"])
    return _has(cits, q["evidence"])


def judge(q: dict, a: dict) -> dict:
    """One question's row: hit@k, answer and citation correctness, refusal."""
    cits = a.get("citations") or []
    text, found = norm(a.get("answer") or ""), bool(a.get("found", True))
    external = "answer_groups" in q
    row = {"qid": q.get("qid"), "found": found, "mode": a.get("mode", "extractive")}
    if not external and not q.get("answerable", True):
        return row | {"answerable": False, "ok": not found}
    row |= {f"hit@{k}": _hit(q, cits[:k]) for k in (1, 3, 5)}
    if external:
        ok = found and all(any(norm(x) in text for x in g) for g in q["answer_groups"])
        cite = any(norm(x) in norm(c.get("text", "")) for c in _cited(a) for x in q["answers"])
    else:
        ok = found and all(norm(k) in text for k in q["answer_keys"])
        cite = bool(_cited(a)) and _has(_cited(a), q["evidence"][:1])
    return row | {"answerable": True, "ok": ok, "cite": cite}


def summarize(rows: list[dict]) -> dict:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    n = max(len(ans), 1)
    return {
        "questions": len(rows),
        "hit@1": sum(r["hit@1"] for r in ans) / n, "hit@3": sum(r["hit@3"] for r in ans) / n,
        "hit@5": sum(r["hit@5"] for r in ans) / n,
        "answer_acc": sum(r["ok"] for r in ans) / n, "citation_acc": sum(r["cite"] for r in ans) / n,
        "false_refusal": sum(not r["found"] for r in ans) / n,
        "refusal_acc": (sum(r["ok"] for r in una) / len(una)) if una else None,
        "overall": sum(r["ok"] for r in rows) / max(len(rows), 1),
    }


def score(questions: list[dict], answers: list[dict]) -> tuple[dict, list[dict]]:
    rows = [judge(q, a) for q, a in zip(questions, answers, strict=True)]
    return summarize(rows), rows
