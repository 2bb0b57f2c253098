"""Ingest, search and update at scale, one table, everything measured in one run (each phase a fresh process).

    python benchmarks/perf.py                       # the news corpus, 1M passages, anchors at 100k passages
    python benchmarks/perf.py --libraries news --questions 500 --anchors 0
    python benchmarks/perf.py --news-limit 5000 --libraries news --anchors 20000   # a quick look
    python benchmarks/perf.py --backend milvus --news-limit 3000 --libraries news --anchors 0 --no-jieba

Libraries (see perf_corpus): `news` is the whole news corpus (68,121 articles, 100 held out for the add step);
`1m` is about a million passages of documents recombined from the news paragraphs. For each library:
- ingest characters/s (a fresh index, default settings, --workers processes, wall time of the ingest process
  start to finish) beside Python jieba's own search-mode segmentation (with our dictionary: the tokenizer the
  index used before) of the same texts with the same number of processes, dictionaries loaded beforehand;
- peak memory of the ingest (the process and its workers) and of a serving process (the index opened by the bot,
  then every question asked); index size on disk, and disk over live index (live = after `optimize`);
- search (the bot's retrieval) and ask (extractive answer) latency p50/p99 over --questions questions (the shared
  question sets in order: speech, news, CMRC, DRCD);
- add 100 documents, delete 100 documents (one commit), unchanged re-ingest of the whole library.
`--backend milvus` measures the same on the Milvus backend, in a milvus-lite file under .bench/perf (size: that
file's folder); milvus-lite is pure Python: measure it at a few thousand articles, not at a million passages.
Anchors (--anchors passages of engines.py's news passages, word channel, top 50): rank_bm25 and plain bm25s
against our segments, query latency and the ratio. Cold start: `speechbot ask` / `speechbot search` as commands
on the five-speech index, wall time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perf_corpus import last_articles, write_extra, write_news, write_recombined
from procs import run_child

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NEWS = SHARED / "corpus-news" / "news-2023.jsonl.gz"
SPEECHES = SHARED / "corpus"
QUESTION_FILES = [SHARED / "eval" / "qa_dev.jsonl", SHARED / "eval" / "qa_news_dev.jsonl",
                  SHARED / "eval" / "external" / "cmrc2018_dev" / "qa.jsonl",
                  SHARED / "eval" / "external" / "drcd_dev" / "qa.jsonl"]
WORK = REPO / ".bench" / "perf"


def questions(n: int) -> list[str]:
    out: list[str] = []
    for f in QUESTION_FILES:
        out += [json.loads(x)["question"] for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    return out[:n]


def texts(paths: list[str]) -> list[str]:
    return [json.loads(line)["text"] for p in paths for line in open(p, encoding="utf-8")]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


# --- phases (run in fresh processes) -------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (its worker processes)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def settings(index: str, backend: str):  # a Settings of the library's index on one backend
    from speechbot.settings import Settings

    if backend == "local":
        return Settings(index=Path(index))
    return Settings(index=Path(index), backend="milvus", milvus_uri=str(WORK / "milvus.db"),
                    milvus_collection=Path(index).name.replace("-", "_").replace(",", "").replace(" ", "_"))


def _ingest(index: str, paths: list[str], workers: int, backend: str = "local") -> dict:
    from ingest.pipeline import IngestOptions, Ingestor
    from speechbot import wiring

    start, cpu = time.perf_counter(), cpu_seconds()
    options = IngestOptions(workers=workers, backend=wiring.backend(settings(index, backend)))
    report = Ingestor(Path(index), options).run([Path(p) for p in paths])
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "summary": report.summary()}


def _jieba_part(part: list[str]) -> int:
    from jieba_baseline import segmenter

    seg = segmenter()
    return sum(1 for t in part for _ in seg.cut_for_search(t))


def _jieba_warm(_: int) -> float:
    from jieba_baseline import segmenter

    segmenter()
    time.sleep(0.5)  # every worker loads its dictionary before the clock starts
    return time.process_time()


def _jieba(paths: list[str], workers: int) -> dict:
    """Wall time, and CPU time of the workers after their dictionaries were loaded."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    docs = texts(paths)
    cpu = cpu_seconds()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        loading = sum(pool.map(_jieba_warm, range(workers)))
        start = time.perf_counter()
        list(pool.map(_jieba_part, [docs[i : i + 64] for i in range(0, len(docs), 64)]))
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu - loading}


def _serve(index: str, qs: list[str], backend: str = "local") -> dict:
    from speechbot import wiring

    bot = wiring.make_bot(settings(index, backend))
    bot.ask(qs[0])  # warm-up: lazy dictionaries
    search, ask = [], []
    for q in qs:
        start = time.perf_counter()
        bot.retrieve(q)
        search.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bot.ask(q)
        ask.append((time.perf_counter() - start) * 1000)
    return {"search_p50": statistics.median(search), "search_p99": pct(search, 0.99),
            "ask_p50": statistics.median(ask), "ask_p99": pct(ask, 0.99), "passages": len(bot.searcher.index)}


def _delete(index: str, n: int, backend: str = "local") -> dict:
    from retrieval.backends import open_index, open_writer
    from speechbot import wiring

    where = wiring.backend(settings(index, backend))
    reader = open_index(Path(index), None, where)
    gone = [r.doc_id for _, r in zip(range(n), reader.documents(), strict=False)]
    reader.close()
    start = time.perf_counter()
    with open_writer(Path(index), backend=where) as writer:
        for doc_id in gone:
            writer.remove(doc_id)
        writer.commit()
    return {"seconds": time.perf_counter() - start}


def _optimize(index: str, backend: str = "local") -> float:
    from ingest.pipeline import optimize
    from speechbot import wiring

    start = time.perf_counter()
    optimize(Path(index), wiring.backend(settings(index, backend)))
    return time.perf_counter() - start


def du_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


# --- one library ---------------------------------------------------------------------------------------------------


def measure_library(name: str, paths: list[Path], extra: Path | None, chars: int, args) -> dict:  # type: ignore[no-untyped-def]
    index = WORK / f"index-{name}"
    shutil.rmtree(index, ignore_errors=True)
    b = args.backend
    if b == "milvus":
        shutil.rmtree(WORK / "milvus.db", ignore_errors=True)
    disk = index if b == "local" else WORK / "milvus.db"
    files = [str(p) for p in paths]
    row: dict = {"library": name if b == "local" else f"{name} (milvus-lite)", "chars": chars}
    ing, row["ingest_mb"] = run_child(_ingest, str(index), files, args.workers, b)
    row.update(ingest_s=ing["seconds"], docs=ing["summary"]["added"], cps=chars / ing["seconds"],
               cpu_us=ing["cpu"] / chars * 1e6)
    print(f"{name}: ingest {ing['seconds']:.0f} s {ing['summary']}", file=sys.stderr, flush=True)
    if args.jieba:
        jieba = run_child(_jieba, files, args.workers)[0]
        row.update(jieba_cps=chars / jieba["seconds"], jieba_cpu_us=jieba["cpu"] / chars * 1e6)
    row["size_mb"] = du_mb(disk)
    serve, row["serve_mb"] = run_child(_serve, str(index), questions(args.questions), b)
    row.update(serve)
    if extra is not None:
        row["add_s"] = run_child(_ingest, str(index), [str(extra)], args.workers, b)[0]["seconds"]
    row["delete_s"] = run_child(_delete, str(index), 100, b)[0]["seconds"]
    again, _ = run_child(_ingest, str(index), files, args.workers, b)
    row["reingest_s"] = again["seconds"]
    before = du_mb(disk)
    row["optimize_s"] = run_child(_optimize, str(index), b)[0]
    row["disk_ratio"] = before / du_mb(disk)
    print(f"{name}: {row}", file=sys.stderr, flush=True)
    return row


# --- anchors and cold start ------------------------------------------------------------------------------------------


def _anchors(data: str, n_queries: int) -> dict:
    """rank_bm25, bm25s and our segments over the same passages (word channel, top 50 per question)."""
    import pickle

    import bm25s
    import numpy as np
    from rank_bm25 import BM25Okapi

    from retrieval.local.lexical import LexicalChannel, Part
    from retrieval.local.postings import encode
    from retrieval.local.segment import NewSegment, Segment, write_segment

    d = pickle.loads(Path(data).read_bytes())
    corpus = [p[0] for p in d["passages"]]
    queries = [w for w, _ in pickle.loads(Path(data).with_suffix(".queries").read_bytes()) if w][:n_queries]
    folder = WORK / "anchor-segment"
    shutil.rmtree(folder, ignore_errors=True)
    enc = encode(corpus)
    write_segment(folder, NewSegment(np.arange(len(corpus)), {"words": enc, "bigrams": enc}))
    ours = LexicalChannel([Part(Segment(folder).channels["words"])])
    plain = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    plain.index(corpus, show_progress=False)
    okapi = BM25Okapi(corpus)

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        fn(queries[0])
        start = time.perf_counter()
        for q in queries:
            fn(q)
        return (time.perf_counter() - start) / len(queries) * 1000

    def top(scores: np.ndarray) -> np.ndarray:
        return np.argpartition(-scores, 50)[:50]

    return {"ours_ms": timed(lambda q: ours.top(q, 50)),
            "bm25s_ms": timed(lambda q: top(plain.get_scores([t for t in q if t in plain.vocab_dict] or ["的"]))),
            "rank_bm25_ms": timed(lambda q: top(okapi.get_scores(q))), "anchor_passages": len(corpus)}


def cold_start(index: Path) -> dict:
    """`speechbot ask` and `speechbot search` as a user runs them (a new process each), median of three."""
    exe = Path(sys.executable).with_name("speechbot")
    out = {}
    for cmd, arg in (("ask", "青禾县今年要引进多少个亿元以上项目?"), ("search", "债务风险")):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([str(exe), cmd, arg, "--index", str(index)], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        out[f"cold_{cmd}_s"] = statistics.median(times)
    return out


# --- the table -----------------------------------------------------------------------------------------------------

ROWS = [  # (key, label, format, target)
    ("chars", "characters ingested", "{:,.0f}", ""), ("docs", "documents added", "{:,}", ""),
    ("passages", "passages", "{:,}", ""),
    ("cps", "ingest characters/s", "{:,.0f}", "≥ 1,000,000"),
    ("jieba_cps", "Python jieba segmentation alone, characters/s (same processes)", "{:,.0f}", ""),
    ("jieba_ratio", "ingest / jieba", "{:.2f}x", "≥ 3x"),
    ("cpu_us", "ingest CPU per character, µs (all its processes, start-up included)", "{:.2f}", ""),
    ("jieba_cpu_us", "jieba CPU per character, µs (its processes, dictionaries loaded)", "{:.2f}", ""),
    ("cpu_ratio", "jieba CPU / ingest CPU (load-independent ratio)", "{:.2f}x", ""),
    ("ingest_mb", "peak memory of the ingest (all processes), MB", "{:,.0f}", "≤ 2,048"),
    ("size_mb", "index size, MB", "{:,.0f}", ""),
    ("serve_mb", "serving process peak RSS, MB", "{:,.0f}", "≤ 4,096"),
    ("search_p50", "search p50, ms", "{:.1f}", "≤ 30"), ("search_p99", "search p99, ms", "{:.1f}", "≤ 100"),
    ("ask_p50", "ask p50, ms", "{:.1f}", "≤ 60"), ("ask_p99", "ask p99, ms", "{:.1f}", ""),
    ("add_s", "add 100 documents, s", "{:.1f}", "≤ 10"), ("delete_s", "delete 100 documents, s", "{:.2f}", "≤ 5"),
    ("reingest_s", "unchanged re-ingest, s", "{:.1f}", ""),
    ("reingest_share", "unchanged re-ingest / fresh ingest", "{:.1%}", "≤ 10%"),
    ("optimize_s", "optimize (merge to one segment), s", "{:.1f}", ""),
    ("disk_ratio", "disk before optimize / live index", "{:.2f}", "≤ 2"),
    ("anchor_passages", "anchor passages", "{:,}", ""),
    ("rank_bm25_ms", "rank_bm25 per query, ms", "{:.1f}", ""), ("bm25s_ms", "plain bm25s per query, ms", "{:.1f}", ""),
    ("ours_ms", "segments per query, ms", "{:.2f}", ""),
    ("speedup", "rank_bm25 / segments", "{:.0f}x", "≥ 50x"),
    ("cold_ask_s", "cold `speechbot ask` (five speeches), s", "{:.2f}", "≤ 1.5"),
    ("cold_search_s", "cold `speechbot search` (five speeches), s", "{:.2f}", "≤ 1.5"),
]


def table(cols: list[dict]) -> str:
    for c in cols:
        if c.get("jieba_cps"):
            c["jieba_ratio"] = c["cps"] / c["jieba_cps"]
            c["cpu_ratio"] = c["jieba_cpu_us"] / c["cpu_us"]
        if c.get("reingest_s"):
            c["reingest_share"] = c["reingest_s"] / c["ingest_s"]
        if c.get("ours_ms"):
            c["speedup"] = c["rank_bm25_ms"] / c["ours_ms"]
    lines = ["| measure | " + " | ".join(c["library"] for c in cols) + " | target |",
             "|---|" + "---:|" * len(cols) + "---|"]
    for key, label, fmt, target in ROWS:
        if any(key in c for c in cols):
            cells = [fmt.format(c[key]) if c.get(key) is not None else "" for c in cols]
            lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--libraries", nargs="*", default=["news", "1m"], choices=["news", "1m"])
    parser.add_argument("--passages", type=int, default=1_000_000, help="passages of the recombined library")
    parser.add_argument("--news-limit", type=int, default=None, help="only the first N articles (a quick look)")
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--anchors", type=int, default=100_000, help="passages for the anchors (0: none)")
    parser.add_argument("--no-jieba", dest="jieba", action="store_false")
    parser.add_argument("--backend", choices=("local", "milvus"), default="local", help="the index backend measured")
    args = parser.parse_args(argv)
    missing = [p for p in (NEWS, SPEECHES, *QUESTION_FILES) if not p.exists()]
    if missing:
        print(f"skipped: shared data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 0
    if args.anchors:
        try:  # before an hour of ingest, not after it
            import bm25s  # noqa: F401
            import rank_bm25  # noqa: F401
        except ImportError as e:
            sys.exit(f"the anchors need the bench extra: pip install -e '.[bench]' ({e})")
    WORK.mkdir(parents=True, exist_ok=True)
    cols = []
    if "news" in args.libraries:
        files, extra, chars = write_news(NEWS, WORK / "news", limit=args.news_limit)
        cols.append(measure_library("news", files, extra, chars, args))
    if "1m" in args.libraries:
        files, chars = write_recombined(NEWS, WORK / "mix", args.passages)
        args.jieba = False  # the ratio is the news corpus's; segmenting 250 M characters again adds little
        extra = write_extra(last_articles(NEWS, 100), WORK / "mix-extra.jsonl")  # whole articles, new ids
        cols.append(measure_library(f"{args.passages:,} passages", files, extra, chars, args))
    extra_col: dict = {"library": "anchors, cold start"}
    if args.anchors:
        from engines import prepare

        extra_col.update(run_child(_anchors, str(prepare(args.anchors, args.questions)), 100)[0])
    if args.backend == "local":  # cold start is the local backend's (a Milvus client starts in about the same time)
        small = WORK / "index-speeches"
        shutil.rmtree(small, ignore_errors=True)
        run_child(_ingest, str(small), [str(SPEECHES)], 1)
        extra_col.update(cold_start(small))
    if len(extra_col) > 1:
        cols.append(extra_col)
    print(table(cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
