"""Every shared question set, scored as ../shared/eval/score.py scores it, in one table.

    python benchmarks/evalsets.py build                  # indexes of each set's library, under .bench/
    python benchmarks/evalsets.py run                    # ask every set, print the figures
    python benchmarks/evalsets.py run --sets cmrc drcd --limit 500 --gold-removed

Sets (all read from ../shared; a set whose files are absent is skipped with the reason):
  speech  eval/qa_dev.jsonl over corpus/ (the five speeches)
  news    eval/qa_news_dev.jsonl over the whole library: all 68k news articles of corpus-news/ plus the speeches
  cmrc    eval/external/cmrc2018_dev over its own documents (simplified)
  drcd    eval/external/drcd_dev over its own documents (traditional)

`--gold-removed` asks every answerable question again with the documents holding its answer filtered out of the
search (the exclude-documents filter): a correct bot refuses them all. Its column is the share refused.
Answers are written to .bench/answers/<set>[-gold-removed].jsonl, so score.py can be run on them too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BENCH = REPO / ".bench"


@dataclass(frozen=True)
class EvalSet:
    name: str
    questions: Path
    library: tuple[Path, ...]  # what is ingested; the news archive is unpacked to .bench first

    def missing(self) -> list[Path]:
        return [p for p in (self.questions, *self.library) if not p.exists()]

    @property
    def index(self) -> Path:
        return BENCH / "index" / self.name


NEWS_GZ = SHARED / "corpus-news" / "news-2023.jsonl.gz"
SETS = {
    "speech": EvalSet("speech", SHARED / "eval" / "qa_dev.jsonl", (SHARED / "corpus",)),
    "news": EvalSet("news", SHARED / "eval" / "qa_news_dev.jsonl", (NEWS_GZ, SHARED / "corpus")),
    "cmrc": EvalSet("cmrc", SHARED / "eval" / "external" / "cmrc2018_dev" / "qa.jsonl",
                    (SHARED / "eval" / "external" / "cmrc2018_dev" / "docs.jsonl",)),
    "drcd": EvalSet("drcd", SHARED / "eval" / "external" / "drcd_dev" / "qa.jsonl",
                    (SHARED / "eval" / "external" / "drcd_dev" / "docs.jsonl",)),
}


def load_questions(s: EvalSet, limit: int | None = None) -> list[dict]:
    rows = [json.loads(x) for x in s.questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows[:limit] if limit else rows


def _library_paths(s: EvalSet) -> list[Path]:
    out = []
    for p in s.library:
        if p.suffix == ".gz":  # the news archive is ingested as the .jsonl file a user would have
            plain = BENCH / p.name.removesuffix(".gz")
            if not plain.exists():
                plain.parent.mkdir(parents=True, exist_ok=True)
                with gzip.open(p, "rb") as src, open(plain.with_suffix(".tmp"), "wb") as dst:
                    shutil.copyfileobj(src, dst)
                plain.with_suffix(".tmp").replace(plain)
            p = plain
        out.append(p)
    return out


def build(names: list[str]) -> None:
    from speechbot import wiring
    from speechbot.settings import Settings

    for name in names:
        s = SETS[name]
        start = time.perf_counter()
        shutil.rmtree(s.index, ignore_errors=True)
        report = wiring.make_ingestor(Settings(index=s.index, data_dir=BENCH), rebuild=True).run(_library_paths(s))
        for o in report.outcomes:
            if o.outcome == "failed":
                print(f"{name}: failed: {o.path}: {o.detail}", file=sys.stderr)
        print(f"{name}: {report.summary()} in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)


# --- asking, in forked workers that share the loaded index -------------------------------------------------------
_BOT = None


def excluded_docs(q: dict, index) -> list[str]:
    """The documents holding a question's answer: its gold ids, and any document whose passages hold its evidence
    (a repost kept under another id holds it too)."""
    from retrieval.textnorm import normalize

    gold = set(q.get("gold_doc_ids") or q.get("docs") or [])
    needles = [normalize(e) for e in (q.get("evidence") or [q.get("gold_passage", "")]) if e]
    if needles:
        gold |= index.docs_containing(needles)
    return sorted(gold)


def _ask(job: tuple[dict, bool]) -> dict:
    from bot.models import Turn
    from retrieval.models import Filters

    q, removed = job
    history = [Turn(**t) for t in q.get("history") or []]
    filters = Filters(exclude_doc_ids=excluded_docs(q, _BOT.searcher.index)) if removed else None
    return _BOT.ask(q["question"], history, filters=filters).model_dump()


def ask_all(s: EvalSet, questions: list[dict], removed: bool, workers: int) -> list[dict]:
    global _BOT
    from speechbot import wiring
    from speechbot.settings import Settings

    _BOT = wiring.make_bot(Settings(index=s.index, data_dir=BENCH))
    jobs = [(q, removed) for q in questions]
    if workers <= 1:
        return [_ask(j) for j in jobs]
    with mp.get_context("fork").Pool(workers) as pool:  # fork: the workers share the loaded index
        return pool.map(_ask, jobs, chunksize=8)


def run(names: list[str], limit: int | None, gold_removed: bool, workers: int) -> list[dict]:
    from speechbot import evaluate

    rows = []
    for name in names:
        s = SETS[name]
        if not _has_index(s):
            print(f"{name}: no index at {s.index}; run: python benchmarks/evalsets.py build --sets {name}",
                  file=sys.stderr)
            continue
        questions = load_questions(s, limit)
        start = time.perf_counter()
        answers = ask_all(s, questions, False, workers)
        seconds = time.perf_counter() - start
        _save(f"{name}", answers)
        summary, _ = evaluate.score(questions, answers)
        row = {"set": name, "seconds": seconds, **summary}
        if gold_removed:
            answerable = [q for q in questions if q.get("answerable", True)]
            removed = ask_all(s, answerable, True, workers)
            _save(f"{name}-gold-removed", removed)
            row["gold_removed_refusal"] = sum(not a["found"] for a in removed) / max(len(removed), 1)
        rows.append(row)
        print(f"{name}: {len(questions)} questions in {seconds:.0f} s", file=sys.stderr, flush=True)
    return rows


def _has_index(s: EvalSet) -> bool:
    from retrieval.backends import open_index
    from retrieval.errors import RetrievalError

    try:
        open_index(s.index).close()
    except RetrievalError:
        return False
    return True


def _save(name: str, answers: list[dict]) -> None:
    out = BENCH / "answers" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")


COLUMNS = ("questions", "hit@1", "hit@5", "answer_acc", "citation_acc", "refusal_acc", "false_refusal",
           "gold_removed_refusal")


def table(rows: list[dict]) -> str:
    def cell(v) -> str:
        return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    lines += [f"| {r['set']} | " + " | ".join(cell(r.get(c)) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("build", "run"))
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--limit", type=int, default=None, help="ask only the first N questions of each set")
    parser.add_argument("--gold-removed", action="store_true", help="also ask with the answer's documents removed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    names = []
    for name in args.sets:
        missing = SETS[name].missing()
        if missing:
            print(f"{name}: skipped, shared data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        else:
            names.append(name)
    if args.command == "build":
        build(names)
        return 0
    print(table(run(names, args.limit, args.gold_removed, args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
