"""SIGKILL at random points of ingest, commit, merge and optimize: the index always opens, answers, and holds
every document whose ingest had returned (and none of a delete that had returned); the next writer recovers."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.backends import open_index, open_writer
from retrieval.errors import IndexNotFound
from retrieval.search import Searcher
from tests.retrieval.local.conftest import records, write_jsonl

REPO = Path(__file__).resolve().parents[3]
TRIALS = 24
PREFIXES = "abcde"


def _batches(folder: Path) -> tuple[list[Path], dict[str, dict]]:
    paths, docs = [], {}
    for i, prefix in enumerate(PREFIXES):
        rows = records(30, seed=100 + i, prefix=prefix)
        paths.append(write_jsonl(folder / f"{prefix}.jsonl", rows))
        docs.update((r["doc_id"], r) for r in rows)
    return paths, docs


def _run(index: Path, log: Path, batches: list[Path], kill: tuple[int, float] | None) -> list[list[str]]:
    """Run the child; with `kill` = (n, seconds), SIGKILL it that long after its n-th operation started."""
    child = subprocess.Popen([sys.executable, "-m", "tests.retrieval.local.crash_child", str(index), str(log),
                              *map(str, batches)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    if kill is not None:
        nth, delay = kill
        # Anchored on the operation's own start, not on a clock of the whole run: a slower machine (CI under
        # load) still has its kills land within the operation meant, at a random moment of its usual span.
        while _started(log) <= nth and child.poll() is None:
            time.sleep(0.005)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    child.wait(timeout=300)
    return [line.split() for line in log.read_text(encoding="utf-8").splitlines()]


def _started(log: Path) -> int:
    """How many operations the child has started so far."""
    try:
        return sum(line.split()[1:2] == ["start"] for line in log.read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        return 0


def _expected(lines: list[list[str]], docs: dict[str, dict]) -> tuple[set[str], set[str]]:
    """(documents that must be there, documents that may be there: those of the operation cut short)."""
    must: set[str] = set()
    maybe: set[str] = set()
    for line in lines:
        if len(line) < 4:
            continue
        state, op, arg = line[1:4]
        batch = {d for d in docs if d.startswith(arg[0])} if op == "ingest" else {arg}
        if op == "ingest":
            (must if state == "done" else maybe).update(batch)
        if op == "delete":
            must -= batch
            maybe.update(batch) if state == "start" else maybe.difference_update(batch)
    return must, maybe


def _check(index: Path, lines: list[list[str]], docs: dict[str, dict]) -> None:
    must, maybe = _expected(lines, docs)
    try:
        idx = open_index(index)
    except IndexNotFound:
        assert not must
        return
    present = {r.doc_id for r in idx.documents()}
    assert must <= present <= must | maybe, (lines[-1], sorted(must - present), sorted(present - must - maybe))
    assert idx.n_documents == len(present) and len(idx) == idx.words.n_docs == idx.bigrams.n_docs
    for doc_id in sorted(must)[:10]:
        assert idx.document(doc_id).raw == docs[doc_id]["text"]
    if present:
        hits = Searcher(idx).search("招商引资项目", 5).hits
        assert hits and all(h.chunk.doc_id in present for h in hits)
    idx.close()


def test_sigkill_anywhere_leaves_the_last_commit_readable(tmp_path: Path) -> None:
    batches, docs = _batches(tmp_path / "src")
    reference = _run(tmp_path / "ref", tmp_path / "ref.log", batches, None)
    assert reference[-1][1:3] == ["done", "optimize"]
    # Each operation (5 ingests with their commits and merges, 3 deletes, the optimize) gets its share of the
    # kills, at a random moment of its span in the reference run.
    spans = [float(b[0]) - float(a[0]) for a, b in itertools.pairwise(reference) if a[1] == "start"]
    rng = random.Random(8)
    cut: list[str] = []
    for trial in range(TRIALS):
        index, log = tmp_path / f"t{trial}", tmp_path / f"t{trial}.log"
        nth = trial % len(spans)
        lines = _run(index, log, batches, (nth, rng.uniform(0, spans[nth])))
        cut.append(lines[-1][2] if lines[-1][1] == "start" else "between")
        _check(index, lines, docs)
        with open_writer(index):  # the next writer rolls back what the killed one left half done
            pass
        assert not (index / "staging").exists()
        _check(index, lines, docs)
    assert len(set(cut)) >= 2, cut  # timing varies, but the kills do not all land in one kind of operation


@pytest.mark.parametrize("phase", ["write_segment", "publish", "merge_segments"])
def test_an_exception_mid_commit_keeps_the_previous_generation(tmp_path: Path, monkeypatch, phase: str) -> None:
    from ingest.pipeline import optimize
    from retrieval.local import commits, writer
    from tests.speech_fixtures import ingest

    index = tmp_path / "index"
    ingest(index, write_jsonl(tmp_path / "a.jsonl", records(10, seed=1)))
    ingest(index, write_jsonl(tmp_path / "b.jsonl", records(10, seed=2, prefix="b")))
    before = commits.latest(index)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    target = commits if phase == "publish" else writer
    monkeypatch.setattr(target, phase, boom)
    with pytest.raises(OSError, match="disk full"):
        if phase == "merge_segments":
            optimize(index)
        else:
            ingest(index, write_jsonl(tmp_path / "c.jsonl", records(10, seed=3, prefix="c")))
    assert commits.latest(index) == before
    assert open_index(index).n_documents == 20
    monkeypatch.undo()
    ingest(index, write_jsonl(tmp_path / "c.jsonl", records(10, seed=3, prefix="c")))
    assert open_index(index).n_documents == 30 and not (index / "staging").exists()
