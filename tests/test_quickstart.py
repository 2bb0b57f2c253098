"""The README's quick start, verbatim, on the example library in a fresh data folder (no ../shared needed)."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from speechbot.cli import app

ROOT = Path(__file__).resolve().parents[1]
CONFERENCE = "lanjiang-2025-economic-work-conference.txt"
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"

# question -> (words the answer must contain, the document it must cite first); None: must be refused
EXPECTED: dict[str, tuple[list[str], str] | None] = {
    "澜江市今年地区生产总值预期增长多少?": (["6%左右"], CONFERENCE),
    "青梧县县委书记是谁?": (["韋明澈"], "qingwu-river-chief-meeting-big5.txt"),
    "澜江新港二期首个泊位什么时候试运行?": (["4月18日"], "lanjiang-daily-new-port-berth.html"),
    "澜江市抓落实要做到哪三个到位?": (["责任到位", "措施到位", "督查到位"], CONFERENCE),
    "青梧县今年要新建多少亩高标准农田?": (["3.5万亩"], "qingwu-2025-rural-revitalization.docx"),
    "澜江市今年要新建多少套保障性租赁住房?": (["3000套"], "lanjiang-2025-government-work-report.txt"),
    "澜江市地铁1号线什么时候开通?": None,
}


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def blocks(text: str, lang: str = "") -> list[str]:
    """The bodies of the fenced code blocks whose info string is `lang`."""
    found, body, inside = [], [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if inside is None:
                inside, body = line[3:].strip(), []
            else:
                if inside == lang:
                    found.append("\n".join(body) + "\n")
                inside = None
        elif inside is not None:
            body.append(line)
    return found


def commands(block: str) -> list[list[str]]:
    """The `speechbot …` lines of a shell block, without trailing comments."""
    return [shlex.split(line.split("  #")[0]) for line in block.splitlines() if line.startswith("speechbot ")]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A user's first day: an empty data folder, no model configured, the commands run from the checkout."""
    for var in list(os.environ):
        if var.startswith("SPEECHBOT_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("SPEECHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "data"


def run(args: list[str]):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


def test_quick_start_runs_verbatim_and_matches_the_output_shown(fresh: Path) -> None:
    quick = section("Quick start")
    steps = commands(blocks(quick, "sh")[0])
    assert [s[:2] for s in steps] == [["speechbot", "ingest"], ["speechbot", "ask"], ["speechbot", "serve"]]
    shown = blocks(quick)[-1]  # the output block: `$ command` lines, each followed by what it prints

    ingested = run(steps[0][1:])
    assert ingested.stdout.strip() == "added=5 updated=0 unchanged=0 duplicate=0 failed=0"
    assert f"$ {shlex.join(steps[0])}\n{ingested.stdout.strip()}\n" in shown

    question = steps[1][2]
    words, doc = EXPECTED[question]  # type: ignore[misc]
    printed = run(steps[1][1:]).stdout
    answer, _, cited = printed.partition("\n\n")
    assert all(w in answer for w in words) and "[1]" in answer
    header = cited.splitlines()[0]
    assert header.startswith("[1] 程望舒在澜江市2025年经济工作会议上的讲话 · 程望舒 · 2025-01-08 · 澜江市")
    # The README shows today's output: the same cited passage header (the score may move a little).
    masked = re.sub(r"score \d\.\d\d", "score …", header)
    examples = [b for b in blocks(README.read_text(encoding="utf-8")) if f'$ speechbot ask "{question}"' in b]
    assert shown in examples and len(examples) == 2  # the quick start's and the one at the top
    for block in examples:
        assert masked in re.sub(r"score \d\.\d\d", "score …", block), "regenerate the README's example output"
        assert answer.strip() in block
    assert json.loads(run([*steps[1][1:], "--json"]).stdout)["citations"][0]["doc_id"] == doc


def test_the_questions_the_readme_suggests_are_answered_and_cited(fresh: Path) -> None:
    run(["ingest", "examples/speeches"])
    suggested = [c[2] for block in blocks(section("Quick start"), "sh") for c in commands(block) if c[1] == "ask"]
    assert set(suggested) <= set(EXPECTED) and len(suggested) >= 5
    for question, expected in EXPECTED.items():
        answer = json.loads(run(["ask", question, "--json"]).stdout)
        if expected is None:
            assert not answer["found"] and "没有找到" in answer["answer"] and answer["citations"], question
            continue
        words, doc = expected
        assert answer["found"] and all(w in answer["answer"] for w in words), (question, answer["answer"])
        assert answer["citations"][0]["doc_id"] == doc and "[1]" in answer["answer"], question


def test_the_example_metadata(fresh: Path) -> None:
    run(["ingest", "examples/speeches"])
    docs = {d["doc_id"]: d for d in json.loads(run(["docs", "list", "--json"]).stdout)}
    big5 = docs["qingwu-river-chief-meeting-big5.txt"]
    assert (big5["title"], big5["speaker"], big5["date"], big5["place"]) == (
        "青梧縣召開2025年河長制工作會議", "韋明澈", "2025-03-12", "青梧县")
    report = docs["lanjiang-2025-government-work-report.txt"]
    assert (report["title"], report["speaker"], report["date"]) == ("澜江市2025年政府工作报告（摘要）", "沈立言",
                                                                    "2025-01-15")
    page = run(["docs", "show", "lanjiang-daily"]).stdout
    meta, _, body = page.partition("\n}\n")  # the metadata (JSON), then the cleaned text
    assert '"source": "澜江日报"' in meta and '"记者": "顾清和"' in meta  # the byline's credits are recorded
    assert body.strip() and "记者" not in body and "当前位置" not in body  # and cut from the text
    text = run(["docs", "show", "qingwu-river"]).stdout
    for noise in ("首頁", "分享到", "免責聲明", "瀏覽次數", "打印本頁", "聯繫電話"):
        assert noise not in text, noise


def test_the_committed_docx_is_what_make_docx_writes(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx", reason="python-docx is not installed: pip install 'speechbot[docx]'")
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_docx
    finally:
        sys.path.remove(str(EXAMPLES))
    committed = [p.text for p in docx.Document(str(make_docx.TARGET)).paragraphs if p.text.strip()]
    assert committed == make_docx.paragraphs()
    fresh_copy = make_docx.build(tmp_path / "speech.docx")
    assert [p.text for p in docx.Document(str(fresh_copy)).paragraphs if p.text.strip()] == committed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_the_page_over_the_ingested_library(fresh: Path) -> None:
    run(["ingest", "examples/speeches"])
    port = _free_port()
    env = {**os.environ, "SPEECHBOT_DATA_DIR": str(fresh)}
    code = "from speechbot.cli import main; main()"
    server = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = _wait_ready(f"http://127.0.0.1:{port}", server)
        assert ready["documents"] == 5 and ready["retrieval"] == "lexical"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "讲话问答" in page.text
        asked = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": "青梧县县委书记是谁?"}, timeout=20)
        assert "韋明澈" in asked.json()["answer"]
    finally:
        server.terminate()
        server.wait(10)


def _wait_ready(url: str, server: subprocess.Popen) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"serve exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            return httpx.get(f"{url}/readyz", timeout=2).raise_for_status().json()
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("serve did not become ready in 60 s")
