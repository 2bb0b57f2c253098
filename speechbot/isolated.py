"""Service ingests in a separate process with an address-space and a wall-clock limit.

Readers bound what they accept, but a file that still finds a way to eat memory or time (a parser's own bug)
then kills only this process: the server keeps answering, and the job says which file and why.
"""

from __future__ import annotations

import logging
import os
import resource
import time
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.jobs import IngestCrashed, Progress
from speechbot.settings import Settings

log = logging.getLogger("speechbot")
POLL_S = 0.5


class IngestFailed(RuntimeError):
    """The ingest raised an ordinary error (index busy or mismatched...): the whole job fails with it."""


def run_isolated(settings: Settings, paths: list[Path], progress: Progress, replace: bool = False) -> IngestReport:
    """Ingest `paths` (relative to the data folder) in a spawned child limited by the settings.

    Raises:
        IngestCrashed: the child ran out of memory or time, or died; the message says which.
    """
    settings = settings.model_copy(update={"data_dir": settings.data_dir.resolve(),
                                           "index": settings.index_dir().resolve()})
    ctx = get_context("spawn")  # the server has threads: forking it is unsafe
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, name="speechbot-ingest-worker",
                        args=(sender, settings.model_dump(mode="json"), [str(p) for p in paths], replace,
                              settings.ingest_memory_mb))
    child.start()
    sender.close()
    try:
        return _collect(receiver, child, progress, settings)
    finally:
        if child.is_alive():
            child.kill()
        child.join(10)
        receiver.close()


def _collect(receiver: Connection, child, progress: Progress, settings: Settings) -> IngestReport:  # type: ignore[no-untyped-def]
    report = IngestReport()
    deadline = time.monotonic() + settings.ingest_timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            child.kill()
            raise IngestCrashed(f"ingest stopped after the {settings.ingest_timeout_s} s limit (ingest_timeout_s)")
        if not receiver.poll(min(left, POLL_S)):
            if not child.is_alive() and not receiver.poll():
                break
            continue
        try:
            kind, value = receiver.recv()
        except EOFError:
            break
        if kind == "outcome":
            report.outcomes.append(value)
            progress(value)
        elif kind == "done":
            return report
        elif kind == "crash":
            raise IngestCrashed(value)
        else:
            raise IngestFailed(value)
    child.join(5)
    code = child.exitcode
    if code is not None and code < 0:
        raise IngestCrashed(f"ingest worker was killed by signal {-code} (memory limit "
                            f"{settings.ingest_memory_mb} MB, ingest_memory_mb)")
    raise IngestCrashed(f"ingest worker stopped unexpectedly (exit code {code})")


def _child(sender: Connection, settings: dict, paths: list[str], replace: bool, memory_mb: int) -> None:
    """The worker: limit itself, then ingest from the data folder so recorded sources are relative paths."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from speechbot import wiring  # imported under the limit, after spawn

    config = Settings(**settings)
    os.chdir(config.data_dir)
    try:
        ingestor = wiring.make_ingestor(config, replace=replace)
        ingestor.run([Path(p) for p in paths], progress=lambda o: sender.send(("outcome", _plain(o))))
        sender.send(("done", None))
    except MemoryError:
        sender.send(("crash", f"ingest ran out of memory (limit {memory_mb} MB, ingest_memory_mb)"))
    except Exception as exc:  # one line for the job; the index is untouched (the writer commits last)
        sender.send(("error", f"{type(exc).__name__}: {' '.join(str(exc).split())}"))
    finally:
        sender.close()


def _plain(o: FileOutcome) -> FileOutcome:
    return FileOutcome(str(o.path), o.outcome, o.doc_id, o.detail)
