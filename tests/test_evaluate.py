"""speechbot.evaluate against the shared scorer (the oracle), on synthetic question/answer sets of both formats."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from speechbot import evaluate

SCORER = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "score.py"


@pytest.fixture(scope="module")
def oracle():
    if not SCORER.is_file():
        pytest.skip(f"shared scorer not found at {SCORER.resolve()}")
    sys.path.insert(0, str(SCORER.parent))
    try:
        spec = importlib.util.spec_from_file_location("shared_eval_score", SCORER)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCORER.parent))
    return module


def _cit(doc: str, text: str) -> dict:
    return {"doc_id": doc, "text": text}


SPEECH_QS = [
    {"qid": "a", "question": "招商目标?", "evidence": ["确保今年40个项目", "落地率在50%以上"],
     "answer_keys": ["40", "50%"], "answerable": True},
    {"qid": "b", "question": "園區?", "evidence": ["新增小微企業園區5家"], "answer_keys": ["5家"], "answerable": True},
    {"qid": "c", "question": "火星?", "evidence": [], "answer_keys": [], "answerable": False},
    {"qid": "d", "question": "债务?", "evidence": ["压减存量债务3亿元"], "answer_keys": ["3亿元"]},
    {"qid": "e", "question": "月球?", "evidence": [], "answer_keys": [], "answerable": False},
]
SPEECH_AS = [
    {"answer": "确保今年40个项目[1]，落地率在５０％以上[2]。", "found": True,
     "citations": [_cit("x", "要确保今年40个项目。"), _cit("x", "力争落地率在50%以上")]},
    {"answer": "新增小微企业园区5家[3]", "found": True,  # [3] is out of range
     "citations": [_cit("y", "新增小微企业园区 5家"), _cit("y", "别的")]},
    {"answer": "资料中没有找到", "found": False, "citations": [_cit("x", "无关")]},
    {"answer": "压减存量债务3亿元[1][0]", "found": True, "mode": "llm",
     "citations": [_cit("z", "别的"), _cit("z", "别的"), _cit("z", "别的"), _cit("z", "别的"),
                   _cit("z", "今年计划压减存量债务3亿元。")]},
    {"answer": "火星上……[1]", "found": True, "citations": [_cit("x", "无关")]},
]
EXTERNAL_QS = [
    {"qid": "x1", "question": "谁?", "answers": ["周明远"], "answer_groups": [["周明远", "周市长"]],
     "gold_doc_ids": ["7"]},
    {"qid": "x2", "question": "多少?", "answers": ["120万亩"], "answer_groups": [["120万亩"], ["粮食"]],
     "gold_doc_ids": ["9"], "answerable": False},
    {"qid": "x3", "question": "何时?", "answers": ["2023年"], "answer_groups": [["2023年"]], "gold_doc_ids": []},
]
EXTERNAL_AS = [
    {"answer": "是周市长[2]", "found": True, "citations": [_cit(7, "无关"), _cit("8", "市长 周明远 说")]},
    {"answer": "粮食120万亩[9]", "found": True, "citations": [_cit("1", "120万亩"), _cit("9", "x")]},
    {"answer": "不知道", "found": False, "citations": []},
]


@pytest.mark.parametrize(("questions", "answers"), [
    (SPEECH_QS, SPEECH_AS),
    (EXTERNAL_QS, EXTERNAL_AS),
    (SPEECH_QS + EXTERNAL_QS, SPEECH_AS + EXTERNAL_AS),
    (SPEECH_QS[:1], [{"answer": "", "citations": []}]),
    (SPEECH_QS[2:3], SPEECH_AS[2:3]),
])
def test_summary_matches_the_shared_scorer(oracle, questions: list[dict], answers: list[dict]) -> None:
    expected, expected_rows = oracle.score(questions, answers)
    summary, rows = evaluate.score(questions, answers)
    assert summary == pytest.approx(expected) if expected["refusal_acc"] is not None else summary == expected
    for mine, theirs in zip(rows, expected_rows, strict=True):
        assert {k: mine[k] for k in theirs} == theirs


def test_norm_matches_the_shared_norm(oracle) -> None:
    sys.path.insert(0, str(SCORER.parent))
    try:
        from norm import norm as shared_norm
    finally:
        sys.path.remove(str(SCORER.parent))
    for text in ["發展（fāzhǎn）经济", "５０％ 以上", "“引号”「角」", "A B\tC", "", "乡村振兴（xiāng）"]:
        assert evaluate.norm(text) == shared_norm(text)


def test_rows_carry_the_mode() -> None:
    _, rows = evaluate.score(SPEECH_QS, SPEECH_AS)
    assert [r["mode"] for r in rows] == ["extractive", "extractive", "extractive", "llm", "extractive"]
