"""Hostile files fail alone: each ends as that file's one-line failure while the good files beside it are ingested,
within 30 s and 1 GB of memory.

Every case runs `speechbot ingest` in its own process under a 1 GB address-space limit (RLIMIT_AS) and a 30 s
wall-clock limit (the subprocess timeout, a kill, not a speed measurement); the process reports its own peak
resident memory. The reason must be the reader's own bound (zip member too large, text too long...), not the
limit's MemoryError: the bounds, not the backstop, are what is tested.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from retrieval.backends import open_index
from tests.ingest.hostile import GOOD, HOSTILE, long_name

LIMIT_MB = 1024
LIMIT_S = 30
RUNNER = """
import resource, sys
limit = int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.argv = ["speechbot", *sys.argv[2:]]
from speechbot.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"peak_rss_kb={peak}\\n")
sys.exit(code)
"""
REASONS = {
    "zip bomb": "refused: zip member 'word/document.xml' unpacks to 400 MB",
    "10 MB one-line file": "characters of text, over the 1,000,000 limit",
    "deep HTML": "HTML nested more than 2000 elements deep",
    "empty docx": "not a Word .docx file",
    "deep JSON": "invalid JSON: nested too deeply",
    "binary .txt": "looks like a binary file",
    "bad GB18030": "cannot decode",
    "malformed PDF": "invalid PDF",
    "cyclic PDF": "invalid PDF (Detected cyclic page references.)",
}


def ingest_limited(folder: Path, index: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`speechbot ingest folder` under the limits; (the finished process, its peak RSS in MB)."""
    env = {**os.environ, "SPEECHBOT_INGEST_WORKERS": "1", "SPEECHBOT_EMBED_MODEL": "", "SPEECHBOT_DATA_DIR": str(index)}
    run = subprocess.run([sys.executable, "-c", RUNNER, str(LIMIT_MB), "ingest", str(folder), "--index", str(index)],
                         capture_output=True, text=True, timeout=LIMIT_S, env=env)
    peak_line = [line for line in run.stderr.splitlines() if line.startswith("peak_rss_kb=")]
    assert peak_line, run.stderr[-3000:]
    return run, int(peak_line[-1].split("=")[1]) // 1024


def with_good_files(folder: Path) -> None:
    (folder / "good-1.txt").write_text(GOOD, encoding="utf-8")
    (folder / "good-2.md").write_text(GOOD.replace("临河县", "白沙镇").replace("52万亩", "18万亩"), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(REASONS))
def test_a_hostile_file_fails_alone_within_30_s_and_1_gb(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with_good_files(folder)
    hostile = HOSTILE[case](folder)
    run, peak_mb = ingest_limited(folder, tmp_path / "index")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert run.stdout.strip() == "added=2 updated=0 unchanged=0 duplicate=0 failed=1", (run.stdout, run.stderr)
    failures = [line for line in run.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and failures[0].startswith(f"failed: {hostile}"), failures
    assert REASONS[case] in failures[0], failures[0]
    assert peak_mb < LIMIT_MB, peak_mb
    index = open_index(tmp_path / "index")
    assert {r.doc_id for r in index.documents()} == {"good-1.txt", "good-2.md"}


@pytest.mark.parametrize(("name", "make"), [
    ("200-character file name", long_name),
    ("a line of 200,000 characters without sentence ends", lambda folder: _legal_long_line(folder)),
])
def test_odd_but_legal_files_are_ingested_within_the_same_limits(name: str, make: Callable[[Path], Path],
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with_good_files(folder)
    path = make(folder)
    run, peak_mb = ingest_limited(folder, tmp_path / "index")
    assert run.returncode == 0 and "failed=0" in run.stdout and "added=3" in run.stdout, (run.stdout, run.stderr)
    assert peak_mb < LIMIT_MB
    index = open_index(tmp_path / "index")
    spans = [c.end - c.start for c in index.doc_passages(index.record(path.name).doc_id)]
    assert max(spans) <= 800  # a run without sentence ends is cut at a fixed length


def _legal_long_line(folder: Path) -> Path:
    """The line that stalled ingest for minutes (the segmenter was quadratic in a run's length)."""
    path = folder / "long-line.txt"
    path.write_text("标题\n" + "齉" * 100_000 + "经济发展" * 25_000, encoding="utf-8")  # a rare character's run too
    return path
