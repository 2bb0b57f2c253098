"""Quality gate on the real corpus: the dev questions through the bot stay above a floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.models import Turn
from ingest.pipeline import IngestOptions, Ingestor
from speechbot import evaluate, wiring
from speechbot.settings import Settings

QUESTIONS = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "qa_dev.jsonl"
FLOOR = {"hit@5": 0.9, "answer_acc": 0.75, "refusal_acc": 0.5}


def test_dev_set_stays_above_the_floor(corpus_dir: Path, tmp_path: Path) -> None:
    if not QUESTIONS.is_file():
        pytest.skip(f"dev questions not found at {QUESTIONS.resolve()}")
    report = Ingestor(tmp_path / "index", IngestOptions()).run([corpus_dir])
    assert report.count("failed") == 0
    bot = wiring.make_bot(Settings(index=tmp_path / "index", embed_model="", llm_base_url=""))
    qs = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = [bot.ask(q["question"], [Turn(**t) for t in q.get("history") or []]).model_dump() for q in qs]
    summary, _ = evaluate.score(qs, answers)
    low = {k: summary[k] for k, floor in FLOOR.items() if summary[k] is not None and summary[k] < floor}
    assert not low, f"below the floor {FLOOR}: {summary}"
