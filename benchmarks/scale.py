"""Scale benchmark: the five speeches mixed with N news distractors.

For each size N it ingests the first N records of the news corpus plus the speech corpus into a
fresh temporary index, then asks the dev questions and reports ingest time, docs/s, index size,
peak RSS after loading, query latency p50/p95 and the speech-set figures (hit@1, hit@5,
answer_acc, refusal_acc) with the distractors present.

Ingest and querying each run in a fresh child process, so peak RSS (ru_maxrss) is per size and
per phase rather than the running maximum of one long process.

    .venv/bin/python benchmarks/scale.py --sizes 0 2000 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the repository
CORPUS = SHARED / "corpus"
NEWS = SHARED / "corpus-news" / "news-2023.jsonl.gz"
QUESTIONS = SHARED / "eval" / "qa_dev.jsonl"


def write_news(n: int, path: Path) -> int:
    """Write the first n news records as a speechbot .jsonl file; return how many were written."""
    written = 0
    with gzip.open(NEWS, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in src:
            if written >= n:
                break
            rec = json.loads(line)
            text = rec.get("text") or ""
            out = {"doc_id": rec["doc_id"], "title": text[:30], "text": text, "date": rec.get("date", "")}
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
            written += 1
    return written


def _ingest(index: str, paths: list[str]) -> dict:
    from speechbot import wiring
    from speechbot.settings import Settings

    settings = Settings(index=Path(index))
    start = time.perf_counter()
    report = wiring.make_ingestor(settings).run([Path(p) for p in paths])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "summary": report.summary()}


def _query(index: str) -> dict:
    from bot.models import Turn
    from speechbot import evaluate, wiring
    from speechbot.settings import Settings

    settings = Settings(index=Path(index))
    questions = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    bot = wiring.make_bot(settings)
    rss_loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    bot.ask(questions[0]["question"], [])  # warm-up (lazy tokenizer dictionaries, caches)
    latencies, answers = [], []
    for q in questions:
        history = [Turn(**t) for t in q.get("history") or []]
        start = time.perf_counter()
        answer = bot.ask(q["question"], history)
        latencies.append((time.perf_counter() - start) * 1000)
        answers.append(answer.model_dump())
    summary, _ = evaluate.score(questions, answers)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, max(0, round(0.95 * len(latencies)) - 1))]
    return {"rss_loaded_mb": rss_loaded_mb,
            "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "p50": statistics.median(latencies), "p95": p95, "summary": summary}


def _in_child(fn, *args):
    # A ProcessPoolExecutor's worker is not daemonic, so the ingest inside it may start its own workers.
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="speechbot-scale-") as tmp:
        tmp_path = Path(tmp)
        paths = [str(CORPUS)]
        news = 0
        if n:
            news_file = tmp_path / "news" / f"news-{n}.jsonl"
            news_file.parent.mkdir()
            news = write_news(n, news_file)
            paths.insert(0, str(news_file))
        index = tmp_path / "index"
        ing = _in_child(_ingest, str(index), paths)
        docs = news + sum(1 for f in CORPUS.iterdir() if f.is_file())
        q = _in_child(_query, str(index))
        return {"n": news, "docs": docs, "ingest_s": ing["seconds"], "docs_s": docs / ing["seconds"],
                "ingest": ing["summary"], "index_mb": dir_mb(index), **q}


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "-" if x is None else format(x, spec)


def table(rows: list[dict]) -> str:
    head = ["news N", "docs", "ingest s", "docs/s", "index MB", "RSS MB", "p50 ms", "p95 ms",
            "hit@1", "hit@5", "answer_acc", "refusal_acc"]
    body = [[str(r["n"]), str(r["docs"]), fmt(r["ingest_s"], ".1f"), fmt(r["docs_s"], ".1f"),
             fmt(r["index_mb"], ".1f"), fmt(r["rss_loaded_mb"], ".0f"), fmt(r["p50"], ".1f"),
             fmt(r["p95"], ".1f"), fmt(r["summary"]["hit@1"]), fmt(r["summary"]["hit@5"]),
             fmt(r["summary"]["answer_acc"]), fmt(r["summary"]["refusal_acc"])] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    lines = [" | ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.rjust(w) for c, w in zip(b, widths, strict=True)) for b in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 2000, 10000],
                        help="numbers of news distractors (default: 0 2000 10000)")
    args = parser.parse_args(argv)
    missing = [p for p in (CORPUS, NEWS, QUESTIONS) if not p.exists()]
    if missing:
        print(f"skipped: shared data not found ({', '.join(map(str, missing))}); "
              "this benchmark needs ../shared beside the repository", file=sys.stderr)
        return 0
    rows = []
    for n in args.sizes:
        row = measure(n)
        print(f"N={row['n']}: ingest {row['ingest_s']:.1f}s {row['ingest']}, "
              f"questions {row['summary']['questions']}", file=sys.stderr, flush=True)
        rows.append(row)
    print(table(rows))
    print("RSS MB = peak RSS (ru_maxrss) of a fresh process after loading the index; "
          "p50/p95 over the dev questions, one warm-up ask first.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
