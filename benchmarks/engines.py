"""Lexical engines side by side on the same passages: today's bm25s index, tantivy, and our segments.

    python benchmarks/engines.py                    # 100,000 passages of ../shared/corpus-news, 500 questions
    python benchmarks/engines.py --passages 20000   # quicker

Every engine indexes the same pre-tokenised passages in both channels (jieba words, character bigrams) and answers
the same questions (each channel's top 50, as the searcher asks). Measured per engine, each phase in a fresh child
process: build time, size on disk, peak memory of the build (above the passages it was handed), query latency
p50/p99 and the serving process's peak RSS, the time to add 100 passages and to delete 100, and whether the scores
equal exact BM25 (Lucene's formula, k1=1.2, b=0.75, from live passages only) after the deletes: the share of
questions whose top 10 are the same passages, and the largest relative score difference.

Passages: each news article (normalised) is cut into runs of whole sentences of at most 260 characters.
Questions: the shared question sets (speech, news, CMRC, DRCD), in that order, the first --questions of them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import pickle
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NEWS = SHARED / "corpus-news" / "news-2023.jsonl.gz"
QUESTION_FILES = [SHARED / "eval" / "qa_dev.jsonl", SHARED / "eval" / "qa_news_dev.jsonl",
                  SHARED / "eval" / "external" / "cmrc2018_dev" / "qa.jsonl",
                  SHARED / "eval" / "external" / "drcd_dev" / "qa.jsonl"]
WORK = REPO / ".bench" / "engines"
TOP = 50
CHANGE = 100


def rss_mb() -> float:
    """Peak RSS of this process (VmHWM: unlike ru_maxrss it does not carry the parent's peak over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(n: int, n_questions: int) -> Path:
    """Tokenise n passages and the questions once; every engine reads the same pickle."""
    from retrieval.analysis import analyze_question
    from retrieval.passages import passage_bigrams, passage_words
    from retrieval.sentences import sentences
    from retrieval.textnorm import normalize

    path = WORK / f"data-{n}-{n_questions}.pkl"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    passages: list[tuple[list[str], list[str]]] = []
    with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
        for line in fh:
            norm = normalize(json.loads(line)["text"])
            run = ""
            for s in sentences(norm):
                piece = norm[s[0] : s[1]]
                if run and len(run) + len(piece) > 260:
                    passages.append((passage_words(run, "", ""), passage_bigrams(run, "", "")))
                    run = ""
                run += piece
            if run:
                passages.append((passage_words(run, "", ""), passage_bigrams(run, "", "")))
            if len(passages) >= n + CHANGE:
                break
    questions = []
    for f in QUESTION_FILES:
        questions += [json.loads(x)["question"] for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    queries = [(list(q.words), list(q.bigrams)) for q in map(analyze_question, questions[:n_questions])]
    _queries(path).write_bytes(pickle.dumps(queries))
    path.write_bytes(pickle.dumps({"passages": passages[:n], "extra": passages[n : n + CHANGE]}))
    return path


def _queries(data: Path) -> Path:
    return data.with_suffix(".queries")


def _load(data: Path) -> dict:
    return pickle.loads(data.read_bytes())


def _same(got: list[tuple[int, float]], want: list[tuple[int, float]], n: int = 10) -> bool:
    """The same top n, except where passages tie with the n-th score (any of them may come first)."""
    if len(want) > n:
        cut = want[n - 1][1] * (1 + 1e-5)
        required = {i for i, s in want[:n] if s > cut}
    else:
        required = {i for i, _ in want}
    return len(got[:n]) == len(want[:n]) and required <= {i for i, _ in got[:n]}


# --- engines: build(passages, folder), open(folder), top(reader, words, bigrams), add, delete -----------------------


class Bm25s:
    """Today's index: one bm25s matrix per channel, scores precomputed, rebuilt whole on every change."""

    name = "bm25s (today)"

    def build(self, passages, ids, folder: Path) -> None:
        import bm25s
        import numpy as np

        for i, ch in enumerate(("words", "bigrams")):
            bm = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
            bm.index([p[i] for p in passages], show_progress=False)
            bm.save(str(folder / ch), show_progress=False)
        np.save(folder / "ids.npy", np.asarray(ids, dtype=np.int64))  # row -> passage id

    def open(self, folder: Path):
        import bm25s
        import numpy as np

        return np.load(folder / "ids.npy"), [bm25s.BM25.load(str(folder / ch), mmap=True, show_progress=False,
                                                             verbosity=0) for ch in ("words", "bigrams")]

    def top(self, reader, words, bigrams) -> list[list[tuple[int, float]]]:
        import numpy as np

        ids, channels = reader
        out = []
        for bm, toks in zip(channels, (words, bigrams), strict=True):
            known = [t for t in toks if t in bm.vocab_dict]
            s = bm.get_scores(known) if known else np.zeros(len(ids), dtype=np.float32)
            n = min(TOP, int((s > 0).sum()))
            idx = np.argpartition(-s, n - 1)[:n] if n else []
            out.append(sorted(((int(ids[i]), float(s[i])) for i in idx), key=lambda x: -x[1]))
        return out

    def add(self, folder: Path, live, extra) -> None:  # a change means a rebuild of every passage
        shutil.rmtree(folder)
        folder.mkdir()
        both = live + extra
        self.build([p for _, p in both], [i for i, _ in both], folder)

    def delete(self, folder: Path, live, gone: set[int]) -> None:
        shutil.rmtree(folder)
        folder.mkdir()
        kept = [(i, p) for i, p in live if i not in gone]
        self.build([p for _, p in kept], [i for i, _ in kept], folder)


class Tantivy:
    """tantivy 0.27 (official bindings): pre-tokenised words and bigrams through its whitespace tokenizer."""

    name = "tantivy"

    def _schema(self):
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_unsigned_field("cid", stored=False, indexed=True, fast=True)
        for ch in ("words", "bigrams"):
            sb.add_text_field(ch, stored=False, tokenizer_name="ws", index_option="freq")
        return sb.build()

    def _index(self, folder: Path):
        import tantivy

        index = tantivy.Index(self._schema(), path=str(folder), reuse=True)
        index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        return index

    def _add(self, writer, passages, ids) -> None:
        import tantivy

        for i, (w, b) in zip(ids, passages, strict=True):
            doc = tantivy.Document()
            doc.add_unsigned("cid", int(i))
            doc.add_text("words", " ".join(w))
            doc.add_text("bigrams", " ".join(b))
            writer.add_document(doc)

    def build(self, passages, ids, folder: Path) -> None:
        writer = self._index(folder).writer(heap_size=256_000_000, num_threads=2)
        self._add(writer, passages, ids)
        writer.commit()
        writer.wait_merging_threads()

    def open(self, folder: Path):
        index = self._index(folder)
        return index, index.searcher()

    def top(self, reader, words, bigrams) -> list[list[tuple[int, float]]]:
        import tantivy

        index, searcher = reader
        out = []
        for ch, toks in (("words", words), ("bigrams", bigrams)):
            if not toks:
                out.append([])
                continue
            q = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(index.schema, ch, t))
                                             for t in toks])
            hits = searcher.search(q, TOP).hits
            ids = searcher.fast_field_values("cid", [a for _, a in hits]) if hits else []
            out.append([(int(c), float(s) / 2.2) for (s, _), c in zip(hits, ids, strict=True)])  # (k1 + 1) factor
        return out

    def add(self, folder: Path, live, extra) -> None:
        writer = self._index(folder).writer(heap_size=64_000_000, num_threads=1)
        self._add(writer, [p for _, p in extra], [i for i, _ in extra])
        writer.commit()
        writer.wait_merging_threads()

    def delete(self, folder: Path, live, gone: set[int]) -> None:
        import tantivy

        index = self._index(folder)
        writer = index.writer(heap_size=64_000_000, num_threads=1)
        # delete_documents_by_term with a Python int silently deletes nothing on a u64 field: delete by query
        writer.delete_documents_by_query(tantivy.Query.term_set_query(index.schema, "cid", sorted(gone)))
        writer.commit()
        writer.wait_merging_threads()


class Segments:
    """Ours: immutable numpy segments (50,000 rows each), tombstones, BM25 at query time with global statistics."""

    name = "segments (ours)"
    rows_per_segment = 50_000

    def _write(self, folder: Path, passages, ids) -> None:
        import numpy as np

        from retrieval.local.postings import encode
        from retrieval.local.segment import NewSegment, new_name, write_segment

        for a in range(0, len(passages), self.rows_per_segment):
            part = passages[a : a + self.rows_per_segment]
            seg = NewSegment(np.asarray(ids[a : a + len(part)]), {"words": encode([p[0] for p in part]),
                                                                  "bigrams": encode([p[1] for p in part])})
            write_segment(folder / "segments" / new_name(), seg)

    def build(self, passages, ids, folder: Path) -> None:
        self._write(folder, passages, ids)

    def open(self, folder: Path):
        import numpy as np

        from retrieval.local.lexical import LexicalChannel, Part
        from retrieval.local.segment import Segment

        segs = [Segment(p) for p in sorted((folder / "segments").iterdir())]
        dead = np.fromfile(folder / "deletes", dtype="<i8") if (folder / "deletes").exists() else np.zeros(0, "<i8")
        deleted = [np.isin(np.asarray(s.chunk_ids), dead) if len(dead) else None for s in segs]
        channels = [LexicalChannel([Part(s.channels[ch], d) for s, d in zip(segs, deleted, strict=True)])
                    for ch in ("words", "bigrams")]
        return segs, channels

    def top(self, reader, words, bigrams) -> list[list[tuple[int, float]]]:
        segs, channels = reader
        return [[(int(segs[h.part].chunk_ids[h.row]), h.score) for h in ch.top(toks, TOP)]
                for ch, toks in zip(channels, (words, bigrams), strict=True)]

    def add(self, folder: Path, live, extra) -> None:
        self._write(folder, [p for _, p in extra], [i for i, _ in extra])

    def delete(self, folder: Path, live, gone: set[int]) -> None:
        import numpy as np

        np.array(sorted(gone), dtype="<i8").tofile(folder / "deletes")  # the tombstones a commit would record


ENGINES = {"bm25s": Bm25s, "tantivy": Tantivy, "segments": Segments}


# --- phases, each in a fresh child process -------------------------------------------------------------------------


def _build(engine: str, data: Path, folder: str) -> dict:
    d = _load(data)
    passages = d["passages"]
    base = rss_mb()
    start = time.perf_counter()
    ENGINES[engine]().build(passages, list(range(len(passages))), Path(folder))
    return {"build_s": time.perf_counter() - start, "build_mb": rss_mb() - base}


def _serve(engine: str, data: Path, folder: str) -> dict:
    queries = _load(_queries(data))
    eng = ENGINES[engine]()
    start = time.perf_counter()
    reader = eng.open(Path(folder))
    open_s = time.perf_counter() - start
    eng.top(reader, *queries[0])
    times = []
    for w, b in queries:
        start = time.perf_counter()
        eng.top(reader, w, b)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"open_s": open_s, "p50_ms": statistics.median(times), "p99_ms": times[int(0.99 * (len(times) - 1))],
            "serve_mb": rss_mb()}


def _change(engine: str, data: Path, folder: str, gone: list[int]) -> dict:
    d = _load(data)
    live = list(enumerate(d["passages"]))
    extra = [(len(live) + i, p) for i, p in enumerate(d["extra"])]
    eng = ENGINES[engine]()
    start = time.perf_counter()
    eng.add(Path(folder), live, extra)
    add_s = time.perf_counter() - start
    start = time.perf_counter()
    eng.delete(Path(folder), live + extra, set(gone))
    return {"add_s": add_s, "delete_s": time.perf_counter() - start}


def _exactness(engine: str, data: Path, folder: str, ref_folder: str, n: int) -> dict:
    queries = _load(_queries(data))[:n]
    eng, ref = ENGINES[engine](), Bm25s()
    reader, oracle = eng.open(Path(folder)), ref.open(Path(ref_folder))
    same, worst = 0, 0.0
    for w, b in queries:
        got, want = eng.top(reader, w, b), ref.top(oracle, w, b)
        for g, r in zip(got, want, strict=True):
            same += _same(g, r)
            scores = dict(r)
            worst = max([worst] + [abs(s - scores[i]) / scores[i] for i, s in g[:10] if i in scores])
    return {"same_top10": same / (2 * len(queries)), "max_rel_diff": worst}


def _reference(data: Path, folder: str, gone: list[int]) -> None:
    """Exact BM25 of the live passages after the changes: one bm25s index built at once."""
    d = _load(data)
    live = [(i, p) for i, p in enumerate(d["passages"] + d["extra"]) if i not in set(gone)]
    Bm25s().build([p for _, p in live], [i for i, _ in live], Path(folder))


def run_child(fn, *args):
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def du_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    args = parser.parse_args(argv)
    missing = [p for p in (NEWS, *QUESTION_FILES) if not p.exists()]
    if missing:
        print(f"skipped: shared data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 0
    data = prepare(args.passages, args.questions)
    import random

    gone = random.Random(8).sample(range(args.passages), CHANGE)
    ref = WORK / "reference"
    shutil.rmtree(ref, ignore_errors=True)
    ref.mkdir(parents=True)
    run_child(_reference, data, str(ref), gone)
    rows = []
    for name in args.engines:
        folder = WORK / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        row = {"engine": ENGINES[name].name, **run_child(_build, name, data, str(folder))}
        row["size_mb"] = du_mb(folder)
        row.update(run_child(_serve, name, data, str(folder)))
        row.update(run_child(_change, name, data, str(folder), gone))
        row.update(run_child(_exactness, name, data, str(folder), str(ref), 100))
        rows.append(row)
        print(f"{name}: done", file=sys.stderr, flush=True)
    print(f"{args.passages:,} passages, {args.questions} questions, both channels (top {TOP} each) per question")
    print(table(rows))
    return 0


COLUMNS = (("build_s", "build s", "{:.1f}"), ("build_mb", "build MB", "{:.0f}"), ("size_mb", "size MB", "{:.0f}"),
           ("open_s", "open s", "{:.2f}"), ("p50_ms", "p50 ms", "{:.1f}"), ("p99_ms", "p99 ms", "{:.1f}"),
           ("serve_mb", "serving RSS MB", "{:.0f}"), ("add_s", f"add {CHANGE} s", "{:.2f}"),
           ("delete_s", f"delete {CHANGE} s", "{:.2f}"), ("same_top10", "same top 10", "{:.3f}"),
           ("max_rel_diff", "max score diff", "{:.1e}"))


def table(rows: list[dict]) -> str:
    lines = ["| engine | " + " | ".join(c[1] for c in COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    lines += [f"| {r['engine']} | " + " | ".join(fmt.format(r[k]) for k, _, fmt in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
