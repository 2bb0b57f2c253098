"""Load benchmark: answers and /healthz while a hostile upload and 45 deletes run.

Starts `speechbot serve` (with an API key) on a free local port over the sample corpus (`../shared/corpus`) plus
45 small fictional speeches, then runs two phases of the same length:

1. anchor: 20 concurrent clients ask the dev questions (`../shared/eval/qa_dev.jsonl`) without pause;
2. loaded: the same, while one upload of hostile files (zip bomb, 10 MB one-line file, HTML nested 100,000 deep,
   and the rest of tests/ingest/hostile.py) and 45 deletes (one at a time, spread over the phase) go through
   the ingest queue.

A separate process probes /healthz every 50 ms throughout. Printed per phase: answers per second, p50/p99
latency, error counts, /healthz p99, and the loaded phase's figures as ratios of the anchor's. Rate limits are
off for the run (they are tested in tests/api); the answer cap (max_concurrent_answers) is the default.

    .venv/bin/python benchmarks/load.py                 # 30 s per phase
    .venv/bin/python benchmarks/load.py --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS, QUESTIONS = SHARED / "corpus", SHARED / "eval" / "qa_dev.jsonl"
KEY = "load-benchmark-key-0001"
CONCURRENCY, DELETES = 20, 45
PLACES = "东山 西岭 南湖 北坡 青石 白沙 红岩 黄河 绿洲 紫竹 金沙 银杏 玉泉 石门 松林".split()
PROBE = """
import json, sys, time, httpx
url, stop = sys.argv[1], time.monotonic() + float(sys.argv[2])
out = []
with httpx.Client(timeout=10) as c:
    while time.monotonic() < stop:
        t = time.perf_counter()
        try:
            ok = c.get(url).status_code == 200
        except httpx.HTTPError:
            ok = False
        out.append((time.monotonic(), (time.perf_counter() - t) * 1000, ok))
        time.sleep(0.05)
json.dump(out, sys.stdout)
"""


def fictional_speech(n: int) -> str:
    place = PLACES[n % len(PLACES)] + f"{n}号镇"
    return (f"{place}2025年工作会议讲话\n（2025年3月{n % 28 + 1}日）\n\n"
            f"今年{place}要新建道路{n + 3}公里，新增就业岗位{100 + n * 7}个。\n"
            f"要加快{place}产业园建设，全年引进项目{n + 11}个，完成投资{n + 20}亿元。\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data: Path) -> list[str]:
    """Ingest the corpus and the 45 speeches to delete; returns their doc ids."""
    from speechbot import wiring
    from speechbot.settings import Settings

    extra = data / "extra"
    extra.mkdir(parents=True)
    for n in range(DELETES):
        (extra / f"town-{n:02d}.txt").write_text(fictional_speech(n), encoding="utf-8")
    settings = Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="")
    report = wiring.make_ingestor(settings).run([CORPUS, extra])
    assert report.count("failed") == 0, report.summary()
    return [f"town-{n:02d}.txt" for n in range(DELETES)]


def start_server(data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "SPEECHBOT_DATA_DIR": str(data), "SPEECHBOT_API_KEYS": f"{KEY}:admin",
           "SPEECHBOT_RATE_LIMIT_KEY": "", "SPEECHBOT_RATE_LIMIT_IP": "", "SPEECHBOT_EMBED_MODEL": "",
           "SPEECHBOT_LLM_BASE_URL": "", "SPEECHBOT_INGEST_WORKERS": "1"}
    command = Path(sys.executable).with_name("speechbot")  # the installed command, as an operator runs it
    server = subprocess.Popen([str(command), "serve", "--host", "127.0.0.1", "--port", str(port), "--index",
                               str(data / "index")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def asker(client: httpx.AsyncClient, questions: list[str], stop: float, offset: int, results: list) -> None:
    i = offset
    while time.monotonic() < stop:
        q = questions[i % len(questions)]
        i += CONCURRENCY
        t = time.perf_counter()
        try:
            status = (await client.post("/api/ask", json={"question": q})).status_code
        except httpx.HTTPError:
            status = 0
        results.append((status, (time.perf_counter() - t) * 1000))


async def disturb(client: httpx.AsyncClient, doc_ids: list[str], seconds: float, tmp: Path) -> dict:
    """One hostile upload at the start, then the deletes spread over the phase; waits for every job."""
    sys.path.insert(0, str(ROOT))
    from tests.ingest.hostile import HOSTILE

    files = [("files", (p.name, p.read_bytes())) for p in (make(tmp) for make in HOSTILE.values())]
    upload = (await client.post("/api/documents", files=files)).json()
    jobs, statuses = [upload["job_id"]], []
    for doc_id in doc_ids:
        r = await client.delete(f"/api/documents/{doc_id}")
        statuses.append(r.status_code)
        if r.status_code == 202:
            jobs.append(r.json()["job_id"])
        await asyncio.sleep(seconds * 0.8 / len(doc_ids))
    finished = {}
    while len(finished) < len(jobs):
        for job_id in jobs:
            job = (await client.get(f"/api/jobs/{job_id}")).json()
            if job["status"] in ("done", "failed"):
                finished[job_id] = job
        await asyncio.sleep(0.5)
    hostile = finished[upload["job_id"]]
    return {"delete_statuses": statuses, "hostile_failed": sum(o["outcome"] == "failed" for o in hostile["outcomes"]),
            "hostile_files": len(files), "deleted": sum(o["outcome"] == "deleted" for j in jobs[1:]
                                                      for o in finished[j]["outcomes"])}


async def phase(url: str, questions: list[str], seconds: float, doc_ids: list[str] | None, tmp: Path) -> dict:
    probe = subprocess.Popen([sys.executable, "-c", PROBE, f"{url}/healthz", str(seconds)], stdout=subprocess.PIPE)
    limits = httpx.Limits(max_connections=CONCURRENCY + 4)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits,
                                 headers={"Authorization": f"Bearer {KEY}"}) as client:
        stop, results = time.monotonic() + seconds, []
        tasks = [asker(client, questions, stop, i, results) for i in range(CONCURRENCY)]
        extra = [disturb(client, doc_ids, seconds, tmp)] if doc_ids else []
        done = await asyncio.gather(*tasks, *extra)
    health = json.loads(probe.communicate()[0])
    latencies = sorted(ms for status, ms in results if status == 200)
    return {"asks": len(results), "ok": len(latencies), "busy": sum(s in (429, 503) for s, _ in results),
            "errors": sum(s not in (200, 429, 503) for s, _ in results), "per_s": len(latencies) / seconds,
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "health_p99": percentile(sorted(ms for _, ms, ok in health if ok), 99),
            "health_max": max(ms for _, ms, _ in health), "health_failed": sum(not ok for *_, ok in health),
            "disturb": done[-1] if doc_ids else None}


def warm_up(url: str, questions: list[str]) -> None:
    """Ask every question once, so the first phase does not pay for loading dictionaries."""
    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {KEY}"}) as client:
        for q in questions:
            client.post("/api/ask", json={"question": q}).raise_for_status()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1)))]


def print_table(anchor: dict, loaded: dict) -> None:
    head = "phase          | asks | ok   | 429/503 | errors | answers/s | p50 ms | p99 ms | /healthz p99 ms | max ms"
    print(head)
    print("-" * len(head))
    for name, r in (("anchor", anchor), ("hostile+45 del", loaded)):
        print(f"{name:<14} | {r['asks']:>4} | {r['ok']:>4} | {r['busy']:>7} | {r['errors']:>6} | {r['per_s']:>9.1f} | "
              f"{r['p50']:>6.0f} | {r['p99']:>6.0f} | {r['health_p99']:>15.0f} | {r['health_max']:>6.0f}")
    ratio = {k: loaded[k] / anchor[k] for k in ("per_s", "p50", "p99", "health_p99")}
    print(f"loaded / anchor: answers/s {ratio['per_s']:.2f}, p50 {ratio['p50']:.2f}, p99 {ratio['p99']:.2f}, "
          f"/healthz p99 {ratio['health_p99']:.2f}")
    d = loaded["disturb"]
    print(f"deletes: {d['delete_statuses'].count(202)}/{len(d['delete_statuses'])} accepted, {d['deleted']} removed; "
          f"hostile upload: {d['hostile_failed']}/{d['hostile_files']} files failed alone; "
          f"/healthz probes failed: {anchor['health_failed'] + loaded['health_failed']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    args = parser.parse_args()
    if not CORPUS.is_dir() or not QUESTIONS.exists():
        print(f"skipped: the sample corpus and questions are not at {SHARED}")
        return
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    tmp = Path(tempfile.mkdtemp(prefix="speechbot-load-"))
    try:
        doc_ids = prepare(tmp / "data")
        port = free_port()
        server = start_server(tmp / "data", port)
        try:
            url = f"http://127.0.0.1:{port}"
            warm_up(url, questions)
            anchor = asyncio.run(phase(url, questions, args.seconds, None, tmp))
            loaded = asyncio.run(phase(url, questions, args.seconds, doc_ids, tmp))
        finally:
            server.terminate()
            server.wait(20)
        print_table(anchor, loaded)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
