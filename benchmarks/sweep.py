"""Choose chunking and ranking parameters by the eval figures: prints one table row per setting.

    python benchmarks/sweep.py                       # chunk sizes x rerank weight, speech set + CMRC sample
    python benchmarks/sweep.py --sizes 200 260 --cmrc 300

Each chunk size gets a fresh temporary index of ../shared/corpus and of the CMRC documents; the rerank weight
is applied at query time. Reads ../shared and skips with a message when it is absent; writes nothing to the repo.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bot.models import Turn
from retrieval import search
from speechbot import evaluate, wiring
from speechbot.settings import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPEECHES = SHARED / "corpus"
DEV = SHARED / "eval" / "qa_dev.jsonl"
CMRC = SHARED / "eval" / "external" / "cmrc2018_dev"


def _questions(path: Path, limit: int | None = None) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit] if limit else lines


def _figures(settings: Settings, questions: list[dict]) -> dict:
    bot = wiring.make_bot(settings)
    answers = [bot.ask(q["question"], [Turn(**t) for t in q.get("history") or []]).model_dump() for q in questions]
    return evaluate.score(questions, answers)[0]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[160, 260, 400, 600])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.5, 0.75, 1.0])
    parser.add_argument("--cmrc", type=int, default=600, help="CMRC questions to ask (0: skip CMRC)")
    args = parser.parse_args(argv)
    if not (SPEECHES.is_dir() and DEV.exists()):
        print(f"skipped: {SHARED} with corpus/ and eval/ is not there")
        return
    dev = _questions(DEV)
    cmrc = _questions(CMRC / "qa.jsonl", args.cmrc) if args.cmrc and CMRC.is_dir() else []
    print("size | rerank_w | dev hit@1 | dev hit@5 | dev answer | dev cite | dev refusal | cmrc hit@5 | cmrc answer")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            speech = Settings(index=Path(tmp) / f"s{size}", data_dir=Path(tmp), chunk_size=size)
            wiring.make_ingestor(speech).run([SPEECHES])
            ext = Settings(index=Path(tmp) / f"c{size}", data_dir=Path(tmp), chunk_size=size)
            if cmrc:
                wiring.make_ingestor(ext).run([CMRC / "docs.jsonl"])
            for weight in args.weights:
                search.RERANK_WEIGHT = weight
                d = _figures(speech, dev)
                c = _figures(ext, cmrc) if cmrc else {"hit@5": float("nan"), "answer_acc": float("nan")}
                print(f"{size:4d} | {weight:8.2f} | {d['hit@1']:9.3f} | {d['hit@5']:9.3f} | "
                      f"{d['answer_acc']:10.3f} | {d['citation_acc']:8.3f} | {d['refusal_acc']:11.3f} | "
                      f"{c['hit@5']:10.3f} | {c['answer_acc']:11.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
