"""Run a benchmark phase in a fresh process and measure the peak memory of it and everything it starts.

The peak is sampled (every 0.1 s) as the sum of the resident sets of the process and its descendants (an ingest's
worker processes included), read from /proc: Linux only; elsewhere the column stays empty.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from pathlib import Path


def _tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * 4  # pages of 4 KiB
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [c for c, p in parents.items() if p == pid]
    return total


class PeakSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            time.sleep(0.1)

    def stop(self) -> float | None:
        self._halt.set()
        self.join()
        return self.peak_kb / 1024 if self.peak_kb else None


def _target(conn, fn, args) -> None:  # type: ignore[no-untyped-def]
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # reported in the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def run_child(fn, *args):  # type: ignore[no-untyped-def]
    """fn(*args) in a fresh, non-daemonic process (it may start its own workers); returns (result, peak MB)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_target, args=(child, fn, args))
    proc.start()
    sampler = PeakSampler(proc.pid) if Path("/proc/self/stat").exists() else None
    if sampler:
        sampler.start()
    status, value = parent.recv()
    proc.join()
    peak = sampler.stop() if sampler else None
    if status != "ok":
        raise RuntimeError(value)
    return value, peak
