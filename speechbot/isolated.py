"""Service ingests in a separate process with an address-space and a wall-clock limit.

Readers bound what they accept, but a file that still finds a way to eat memory or time (a parser's own bug)
then kills only this process: the server keeps answering, and the job says which file and why.

The worker is a fresh interpreter (`python -m speechbot.isolated`), not a multiprocessing child: spawning one
re-runs the server's main script, which in a script without a `__main__` guard would start a second server.
It reads its request as JSON on stdin and answers with JSON lines on its own copy of stdout.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.jobs import IngestCrashed, Progress
from speechbot.settings import Settings

log = logging.getLogger("speechbot")


class IngestFailed(RuntimeError):
    """The ingest raised an ordinary error (index busy or mismatched...): the whole job fails with it."""


def run_isolated(settings: Settings, paths: list[Path], progress: Progress, replace: bool = False) -> IngestReport:
    """Ingest `paths` (relative to the data folder) in a worker process limited by the settings.

    Raises:
        IngestCrashed: the worker ran out of memory or time, or died; the message says which.
        IngestFailed: the ingest itself failed (the index is unchanged).
    """
    settings = settings.model_copy(update={"data_dir": settings.data_dir.resolve(),
                                           "index": settings.index_dir().resolve()})
    request = {"settings": settings.model_dump(mode="json"), "paths": [str(p) for p in paths], "replace": replace}
    root = str(Path(__file__).resolve().parents[1])  # importable from a source checkout too
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    worker = subprocess.Popen([sys.executable, "-m", "speechbot.isolated"], cwd=settings.data_dir, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        worker.stdin.write(json.dumps(request))  # type: ignore[union-attr]
        worker.stdin.close()  # type: ignore[union-attr]
        return _collect(worker, progress, settings)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(10)


def _lines(stream: IO[str], out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def _collect(worker: subprocess.Popen, progress: Progress, settings: Settings) -> IngestReport:
    report, lines = IngestReport(), queue.Queue[str | None]()
    threading.Thread(target=_lines, args=(worker.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + settings.ingest_timeout_s
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            worker.kill()
            raise IngestCrashed(
                f"ingest stopped after the {settings.ingest_timeout_s} s limit (ingest_timeout_s)") from None
        if line is None:
            break
        message = json.loads(line)
        if message["kind"] == "outcome":
            outcome = FileOutcome(**message["outcome"])
            report.outcomes.append(outcome)
            progress(outcome)
        elif message["kind"] == "done":
            return report
        elif message["kind"] == "crash":
            raise IngestCrashed(message["detail"])
        else:
            raise IngestFailed(message["detail"])
    code = worker.wait(10)
    if code < 0:
        # Under the address-space limit an allocation that fails in native code (jieba-rs, numpy) aborts the
        # process instead of raising MemoryError: a death by signal is almost always the memory limit.
        raise IngestCrashed(f"ingest worker was killed by signal {-code}: it most likely ran out of memory (limit "
                            f"{settings.ingest_memory_mb} MB, ingest_memory_mb)")
    raise IngestCrashed(f"ingest worker stopped unexpectedly (exit code {code})")


def main() -> None:
    """The worker: limit itself, then ingest from the data folder so recorded sources are relative paths."""
    request = json.loads(sys.stdin.read())
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answer lines

    def send(kind: str, **fields: object) -> None:
        out.write(json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n")
        out.flush()

    memory_mb = request["settings"]["ingest_memory_mb"]
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from speechbot import wiring  # imported under the limit

        ingestor = wiring.make_ingestor(Settings(**request["settings"]), replace=request["replace"])
        ingestor.run([Path(p) for p in request["paths"]], progress=lambda o: send("outcome", outcome={
            "path": str(o.path), "outcome": o.outcome, "doc_id": o.doc_id, "detail": o.detail}))
        send("done")
    except MemoryError:
        send("crash", detail=f"ingest ran out of memory (limit {memory_mb} MB, ingest_memory_mb)")
    except Exception as exc:  # one line for the job; the index is untouched (the writer commits last)
        send("error", detail=f"{type(exc).__name__}: {' '.join(str(exc).split())}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    main()
