"""Every shared question set, scored as ../shared/eval/score.py scores it, in one table.

    python benchmarks/evalsets.py build                  # indexes of each set's library, under .bench/
    python benchmarks/evalsets.py run                    # ask every set, print the figures
    python benchmarks/evalsets.py run --sets cmrc drcd --limit 500 --gold-removed
    python benchmarks/evalsets.py build --backend milvus --sets speech cmrc   # the same, on milvus-lite

Sets (all read from ../shared; a set whose files are absent is skipped with the reason):
  speech  eval/qa_dev.jsonl over corpus/ (the five speeches)
  news    eval/qa_news_dev.jsonl over the whole library: all 68k news articles of corpus-news/ plus the speeches
  cmrc    eval/external/cmrc2018_dev over its own documents (simplified)
  drcd    eval/external/drcd_dev over its own documents (traditional)
  news-sample  the news questions over their own articles, NEWS_SAMPLE other news articles and the speeches
          (milvus-lite, pure Python, holds a few thousand articles comfortably, not 68k)

Backends (`--backend`): local (the index folder under .bench/index/), milvus (collections in .bench/milvus.db,
our BM25 as sparse vectors), milvus-engine (the word channel by Milvus's jieba analyzer and BM25 function:
measured, not offered). Milvus sets are asked in one process (a gRPC client does not survive fork).

Held-out sets: a question file of your own, in a set's format, saved as .bench/heldout/<set>-<name>.jsonl, is
one more set, <set>-<name>, asked of <set>'s library (build that set first): questions no rule was fit on, so a
change that helps only the shared sets shows. `fit.py` reads them as check sets. So are the reworded sets that
`fit.py paraphrase` writes to .bench/paraphrased/<set>-para.jsonl (each answerable question with one common word
replaced: the paraphrase gap).

`--gold-removed` asks every answerable question again with the documents holding its answer filtered out of the
search (the exclude-documents filter): a correct bot refuses them all. Its column is the share refused; the next,
`gold_removed_right`, the share answered right all the same, from another document that holds the answer (a
repost the evidence filter did not catch, another article of an encyclopaedia on the same subject).
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
    library_of: str = ""  # a held-out set asks its questions of this set's library (index)

    def missing(self) -> list[Path]:
        return [p for p in (self.questions, *self.library) if not p.exists()]

    @property
    def library_name(self) -> str:
        return self.library_of or self.name

    @property
    def index(self) -> Path:
        return BENCH / "index" / self.library_name


KINDS = ("local", "milvus", "milvus-engine")
NEWS_SAMPLE = 3_000  # other news articles in the news-sample library (fixed seed)
NEWS_GZ = SHARED / "corpus-news" / "news-2023.jsonl.gz"
NEWS_SAMPLE_FILE = BENCH / "news-sample.jsonl"  # written from NEWS_GZ on first use
SETS = {
    "speech": EvalSet("speech", SHARED / "eval" / "qa_dev.jsonl", (SHARED / "corpus",)),
    "news": EvalSet("news", SHARED / "eval" / "qa_news_dev.jsonl", (NEWS_GZ, SHARED / "corpus")),
    "news-sample": EvalSet("news-sample", SHARED / "eval" / "qa_news_dev.jsonl", (NEWS_GZ, SHARED / "corpus")),
    "cmrc": EvalSet("cmrc", SHARED / "eval" / "external" / "cmrc2018_dev" / "qa.jsonl",
                    (SHARED / "eval" / "external" / "cmrc2018_dev" / "docs.jsonl",)),
    "drcd": EvalSet("drcd", SHARED / "eval" / "external" / "drcd_dev" / "qa.jsonl",
                    (SHARED / "eval" / "external" / "drcd_dev" / "docs.jsonl",)),
}
HELDOUT = BENCH / "heldout"  # question files of your own, <set>-<name>.jsonl: asked of <set>'s library
PARAPHRASED = BENCH / "paraphrased"  # <set>-para.jsonl, a set's questions reworded by `fit.py paraphrase`


def own_set(path: Path) -> EvalSet | None:
    """The set a question file of your own, <set>-<name>.jsonl, makes: asked of <set>'s library (None without one)."""
    base = SETS.get(path.stem.split("-", 1)[0])
    return EvalSet(path.stem, path, base.library, base.name) if base is not None else None


def _own_sets(folder: Path) -> dict[str, EvalSet]:
    """Question sets of your own in `folder`, each asked of its base set's library: held out from all fitting and
    written by you, or reworded from a set's questions (never committed: they quote the shared text)."""
    out = {}
    for path in sorted(folder.glob("*-*.jsonl")) if folder.is_dir() else []:
        if path.stem not in SETS and (s := own_set(path)) is not None:
            out[path.stem] = s
    return out


SHARED_SETS = tuple(SETS)
SETS.update(_own_sets(HELDOUT))
SETS.update(_own_sets(PARAPHRASED))


def load_questions(s: EvalSet, limit: int | None = None) -> list[dict]:
    rows = [json.loads(x) for x in s.questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows[:limit] if limit else rows


def _news_sample(s: EvalSet) -> Path:
    """The news questions' own articles and NEWS_SAMPLE others drawn with a fixed seed, as one .jsonl file."""
    import random

    if not NEWS_SAMPLE_FILE.exists():
        gold = {d for q in load_questions(s) for d in q.get("docs") or q.get("gold_doc_ids") or []}
        with gzip.open(NEWS_GZ, "rt", encoding="utf-8") as fh:
            lines = fh.readlines()
        ids = [json.loads(x)["doc_id"] for x in lines]
        others = [i for i, d in enumerate(ids) if d not in gold]
        keep = {i for i, d in enumerate(ids) if d in gold} | set(random.Random(0).sample(others, NEWS_SAMPLE))
        NEWS_SAMPLE_FILE.parent.mkdir(parents=True, exist_ok=True)
        NEWS_SAMPLE_FILE.write_text("".join(lines[i] for i in sorted(keep)), encoding="utf-8")
    return NEWS_SAMPLE_FILE


def _library_paths(s: EvalSet) -> list[Path]:
    if s.name == "news-sample":
        return [_news_sample(s), SHARED / "corpus"]
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


def settings_for(s: EvalSet, kind: str):
    """The settings and the index backend of a set on one backend kind."""
    from retrieval.backends import Backend
    from speechbot import wiring
    from speechbot.settings import Settings

    if kind == "local":
        settings = Settings(index=s.index, data_dir=BENCH)
        return settings, wiring.backend(settings)
    collection = s.library_name.replace("-", "_") + ("_engine" if kind == "milvus-engine" else "")
    settings = Settings(index=BENCH / "index-milvus" / collection, data_dir=BENCH, backend="milvus",
                        milvus_uri=str(BENCH / "milvus.db"), milvus_collection=collection)
    return settings, Backend("milvus", settings.milvus_uri, collection=collection,
                             bm25="engine" if kind == "milvus-engine" else "ours")


def build(names: list[str], kind: str = "local") -> None:
    from ingest.pipeline import IngestOptions, Ingestor
    from speechbot import wiring

    for name in names:
        s = SETS[name]
        if s.library_of:
            print(f"{name}: asked of {s.library_of}'s library; build that", file=sys.stderr)
            continue
        settings, backend = settings_for(s, kind)
        start = time.perf_counter()
        shutil.rmtree(settings.index_dir(), ignore_errors=True)
        options = IngestOptions(settings.chunk_size, settings.chunk_overlap, wiring.embedder(settings), rebuild=True,
                                workers=settings.ingest_workers, backend=backend)
        report = Ingestor(settings.index_dir(), options).run(_library_paths(s))
        for o in report.outcomes:
            if o.outcome == "failed":
                print(f"{name}: failed: {o.path}: {o.detail}", file=sys.stderr)
        print(f"{name} ({kind}): {report.summary()} in {time.perf_counter() - start:.0f} s", file=sys.stderr,
              flush=True)


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


def ask_all(s: EvalSet, questions: list[dict], removed: bool, workers: int, kind: str = "local") -> list[dict]:
    global _BOT
    from retrieval.backends import open_index
    from speechbot import wiring

    settings, backend = settings_for(s, kind)
    _BOT = wiring.make_bot(settings, open_index(settings.index_dir(), wiring.embedder(settings), backend))
    jobs = [(q, removed) for q in questions]
    if workers <= 1 or kind != "local":
        return [_ask(j) for j in jobs]
    with mp.get_context("fork").Pool(workers) as pool:  # fork: the workers share the loaded index
        return pool.map(_ask, jobs, chunksize=8)


def run(names: list[str], limit: int | None, gold_removed: bool, workers: int, kind: str = "local") -> list[dict]:
    from speechbot import evaluate

    rows = []
    tag = "" if kind == "local" else f"-{kind}"
    for name in names:
        s = SETS[name]
        if not _has_index(s, kind):
            print(f"{name}: no {kind} index; run: python benchmarks/evalsets.py build --backend {kind} --sets {name}",
                  file=sys.stderr)
            continue
        questions = load_questions(s, limit)
        start = time.perf_counter()
        answers = ask_all(s, questions, False, workers, kind)
        seconds = time.perf_counter() - start
        _save(f"{name}{tag}", answers)
        summary, _ = evaluate.score(questions, answers)
        row = {"set": name, "backend": kind, "seconds": seconds, **summary}
        if gold_removed:
            answerable = [q for q in questions if q.get("answerable", True)]
            removed = ask_all(s, answerable, True, workers, kind)
            _save(f"{name}{tag}-gold-removed", removed)
            row["gold_removed_refusal"] = sum(not a["found"] for a in removed) / max(len(removed), 1)
            # a repost the evidence filter missed may still hold the answer: answered right is no wrong answer
            right = sum(a["found"] and evaluate.judge(q, a)["ok"] for q, a in zip(answerable, removed, strict=True))
            row["gold_removed_right"] = right / max(len(removed), 1)
        rows.append(row)
        print(f"{name}: {len(questions)} questions in {seconds:.0f} s", file=sys.stderr, flush=True)
    return rows


def _has_index(s: EvalSet, kind: str = "local") -> bool:
    from retrieval.backends import open_index
    from retrieval.errors import RetrievalError

    settings, backend = settings_for(s, kind)
    try:
        open_index(settings.index_dir(), None, backend).close()
    except RetrievalError:
        return False
    return True


def _save(name: str, answers: list[dict]) -> None:
    out = BENCH / "answers" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")


COLUMNS = ("backend", "questions", "hit@1", "hit@5", "answer_acc", "citation_acc", "refusal_acc", "false_refusal",
           "gold_removed_refusal", "gold_removed_right")


def table(rows: list[dict]) -> str:
    def cell(v) -> str:
        return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    lines += [f"| {r['set']} | " + " | ".join(cell(r.get(c)) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("build", "run"))
    parser.add_argument("--sets", nargs="+", default=list(SHARED_SETS), choices=list(SETS))
    parser.add_argument("--limit", type=int, default=None, help="ask only the first N questions of each set")
    parser.add_argument("--gold-removed", action="store_true", help="also ask with the answer's documents removed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backend", choices=KINDS, default="local", help="where the sets' indexes live")
    args = parser.parse_args(argv)
    names = []
    for name in args.sets:
        missing = SETS[name].missing()
        if missing:
            print(f"{name}: skipped, shared data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        else:
            names.append(name)
    if args.command == "build":
        build(names, args.backend)
        return 0
    print(table(run(names, args.limit, args.gold_removed, args.workers, args.backend)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
