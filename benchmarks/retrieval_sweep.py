"""Which part of the ranking finds the answer passage, on every shared set: hit@1 and hit@5 for a grid of rerank
weights (final score = w * rerank + (1 - w) * fused) and candidate pool sizes.

    python benchmarks/retrieval_sweep.py [--weights 0.5 0.75 1.0] [--candidates 50 100] [--limit 600]

Uses the indexes `benchmarks/evalsets.py build` makes; asks each question as the bot does (one analysis, the same
retrieval, follow-ups resolved) and checks whether the passages hold the evidence (score.py's rule).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import evalsets


def _hits(bot, questions: list[dict]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from bot.models import Turn
    from speechbot.evaluate import _hit

    h1 = h5 = n = 0
    for q in questions:
        if not q.get("answerable", True):
            continue
        a = bot.analyze(q["question"], [Turn(**t) for t in q.get("history") or []])
        cits = [{"doc_id": h.chunk.doc_id, "text": h.chunk.text} for h in bot.retrieve(a, top_k=5)]
        n += 1
        h1 += _hit(q, cits[:1])
        h5 += _hit(q, cits[:5])
    return h1 / max(n, 1), h5 / max(n, 1)


def main(argv: list[str] | None = None) -> int:
    from bot.extractive import ExtractiveAnswerer
    from bot.pipeline import Bot
    from retrieval import search
    from retrieval.backends import open_index
    from retrieval.search import Searcher

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.5, 0.75, 1.0])
    parser.add_argument("--candidates", type=int, nargs="+", default=[50])
    parser.add_argument("--limit", type=int, default=600, help="questions per external set")
    parser.add_argument("--sets", nargs="+", default=list(evalsets.SETS), choices=list(evalsets.SETS))
    args = parser.parse_args(argv)
    print("| set | candidates | rerank weight | hit@1 | hit@5 |\n|---|---|---|---|---|")
    for name in args.sets:
        s = evalsets.SETS[name]
        if s.missing() or not s.index.exists():
            print(f"{name}: skipped (no shared data or no index; run evalsets.py build)", file=sys.stderr)
            continue
        index = open_index(s.index)
        questions = evalsets.load_questions(s, args.limit)
        for n in args.candidates:
            bot = Bot(Searcher(index, candidates=n), ExtractiveAnswerer(None))  # type: ignore[arg-type]
            for w in args.weights:
                search.RERANK_WEIGHT = w
                h1, h5 = _hits(bot, questions)
                print(f"| {name} | {n} | {w:.2f} | {h1:.3f} | {h5:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
