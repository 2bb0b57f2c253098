"""The speechbot command through typer's runner: summaries, JSON answers, batch asks, docs, clean errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from speechbot.cli import app
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, write

CITATION_FIELDS = {"id", "doc_id", "title", "speaker", "date", "place", "source", "heading", "text", "start", "end",
                   "score", "scores"}


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("SPEECHBOT_EMBED_MODEL", "SPEECHBOT_LLM_BASE_URL", "SPEECHBOT_INDEX"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SPEECHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    src = root / "src"
    write(src, "qinghe.txt", SPEECH_QINGHE)
    write(src, "lanshan.txt", SPEECH_LANSHAN)
    result = CliRunner().invoke(app, ["ingest", str(src), "--index", str(root / "index")])
    assert result.exit_code == 0, result.output
    assert "added=2 updated=0 unchanged=0 duplicate=0 failed=0" in result.stdout
    return root / "index"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def _one_error_line(result) -> None:
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error"), result.output
    assert "Traceback" not in result.output


def test_ingest_again_prints_unchanged(index: Path, tmp_path: Path) -> None:
    src = index.parent / "src"
    result = run("ingest", str(src), "--index", str(index))
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("added=0 updated=0 unchanged=2 duplicate=0 failed=0")


def test_ask_json_gives_the_answer_object(index: Path) -> None:
    result = run("ask", "青禾县今年要引进多少个亿元以上项目？", "--json", "--index", str(index))
    assert result.exit_code == 0, result.output
    ans = json.loads(result.stdout)
    assert {"answer", "found", "query", "mode", "citations"} <= set(ans)
    assert ans["found"] is True and "40" in ans["answer"]
    assert ans["citations"] and set(ans["citations"][0]) == CITATION_FIELDS
    assert ans["citations"][0]["doc_id"] == "qinghe.txt"


def test_ask_plain_prints_answer_and_citations(index: Path) -> None:
    result = run("ask", "粮食总产量要达到多少？", "--index", str(index))
    assert result.exit_code == 0
    assert "50万吨" in result.stdout and "[1]" in result.stdout


def test_ask_batch_reads_json_lines_and_survives_a_bad_one(index: Path) -> None:
    lines = [
        json.dumps({"question": "青禾县今年计划压减存量债务多少？"}, ensure_ascii=False),
        "{not json",
        json.dumps({"question": "那小微企业园区呢？", "history": [
            {"role": "user", "content": "青禾县今年计划压减存量债务多少？"},
            {"role": "assistant", "content": "3亿元"}]}, ensure_ascii=False),
    ]
    result = run("ask", "--json", "-", "--index", str(index), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(out) == 3
    assert out[0]["found"] and "3亿元" in out[0]["answer"]
    assert "error" in out[1] and out[1]["error"].startswith("line 2") and out[1]["found"] is False
    assert "error" not in out[2] and "citations" in out[2]


def test_search_json(index: Path) -> None:
    result = run("search", "债务风险", "-k", "3", "--json", "--index", str(index))
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert set(hits[0]) == CITATION_FIELDS
    assert "隐性债务" in hits[0]["text"]
    assert set(hits[0]["scores"]) >= {"lexical", "bigram", "fused", "rerank"}


def test_search_place_filter(index: Path) -> None:
    result = run("search", "产业", "--json", "--doc", "lanshan.txt", "--index", str(index))
    assert {h["doc_id"] for h in json.loads(result.stdout)} == {"lanshan.txt"}


def test_docs_list_show_rm(index: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(index, copy, symlinks=True)
    listed = json.loads(run("docs", "list", "--json", "--index", str(copy)).stdout)
    assert {r["doc_id"] for r in listed} == {"qinghe.txt", "lanshan.txt"}
    assert run("docs", "list", "--index", str(copy)).exit_code == 0
    shown = run("docs", "show", "qinghe.txt", "--index", str(copy))
    assert shown.exit_code == 0 and "县委书记 林海川" in shown.stdout
    removed = run("docs", "rm", "qinghe.txt", "--index", str(copy))
    assert removed.exit_code == 0 and "removed qinghe.txt" in removed.stdout
    listed = json.loads(run("docs", "list", "--json", "--index", str(copy)).stdout)
    assert [r["doc_id"] for r in listed] == ["lanshan.txt"]


def test_ingest_nonexistent_path_is_one_error_line(tmp_path: Path) -> None:
    _one_error_line(run("ingest", str(tmp_path / "missing"), "--index", str(tmp_path / "i")))


def test_unknown_doc_id_is_one_error_line(index: Path) -> None:
    _one_error_line(run("docs", "show", "nope.txt", "--index", str(index)))
    _one_error_line(run("docs", "rm", "nope.txt", "--index", str(index)))


@pytest.mark.parametrize("args", [["ask", "问题"], ["search", "债务"], ["docs", "list"]])
def test_no_index_is_one_error_line(tmp_path: Path, args: list[str]) -> None:
    result = run(*args, "--index", str(tmp_path / "empty"))
    _one_error_line(result)
    assert "speechbot ingest" in result.output


def test_help_carries_an_example() -> None:
    result = run("ingest", "--help")
    assert result.exit_code == 0 and "speechbot ingest" in result.stdout


def test_ingest_refuses_a_doc_id_from_another_file_unless_replace(index: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write(other, "qinghe.txt", SPEECH_QINGHE.replace("隐性债务", "冒名顶替"))
    idx = tmp_path / "idx"
    shutil.copytree(index, idx, symlinks=True)
    refused = run("ingest", str(other), "--index", str(idx))
    assert refused.exit_code == 0 and "failed=1" in refused.stdout
    (line,) = [x for x in refused.stderr.splitlines() if x.startswith("failed:")]  # one line, however long
    assert "already exists from another source" in line and "--replace" in line
    replaced = run("ingest", str(other), "--index", str(idx), "--replace")
    assert "updated=1" in replaced.stdout


def test_serve_without_keys_refuses_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    result = run("serve", "--host", "0.0.0.0", "--index", str(tmp_path / "idx"))
    assert result.exit_code == 1
    assert "refusing to listen on 0.0.0.0 without API keys" in result.stderr and "--insecure-no-auth" in result.stderr


@pytest.mark.parametrize(("host", "keys", "insecure", "says"), [
    ("127.0.0.1", "", False, "no API keys configured: listening on 127.0.0.1 only"),
    ("::1", "", False, "only, for this machine"),
    ("localhost", "", False, "only, for this machine"),
    ("0.0.0.0", "", True, "WARNING: no API keys"),
    ("0.0.0.0", "serve-key-0001:ask", False, "API keys required (1 configured)"),
])
def test_serve_says_at_start_who_can_reach_it(host: str, keys: str, insecure: bool, says: str,
                                              tmp_path: Path) -> None:
    from speechbot.cli import bind_check
    from speechbot.settings import Settings

    settings = Settings(data_dir=tmp_path, api_keys=keys, insecure_no_auth=insecure)
    assert says in bind_check(settings, host)


def test_keys_new_appends_a_hash_and_prints_the_key_once(tmp_path: Path) -> None:
    from speechbot.keys import KeyRing, parse_file

    file = tmp_path / "keys.txt"
    result = run("keys", "new", "alice", "--scopes", "ask+write", "--file", str(file))
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("sb-") and key not in file.read_text() and oct(file.stat().st_mode)[-3:] == "600"
    assert KeyRing(parse_file(file)).authenticate(key).scopes == {"ask", "write"}
    again = run("keys", "new", "alice", "--file", str(file))
    assert again.exit_code == 1 and "already" in again.stderr
    assert run("keys", "new", "bob", "--scopes", "root", "--file", str(file)).exit_code == 1


def test_index_optimize_merges_and_keeps_the_documents(tmp_path: Path) -> None:
    src, index = tmp_path / "src", tmp_path / "index"
    for name, text in (("qinghe.txt", SPEECH_QINGHE), ("lanshan.txt", SPEECH_LANSHAN)):
        write(src / name.split(".")[0], name, text)
        assert run("ingest", str(src / name.split(".")[0]), "--index", str(index)).exit_code == 0  # a segment each
    assert run("docs", "rm", "qinghe.txt", "--index", str(index)).exit_code == 0
    result = run("index", "optimize", "--index", str(index))
    assert result.exit_code == 0 and "optimized: 1 documents" in result.stdout
    assert len(list((index / "segments").iterdir())) == 1
    assert json.loads(run("docs", "list", "--json", "--index", str(index)).stdout)[0]["doc_id"] == "lanshan.txt"


def test_the_milvus_backend_is_chosen_by_settings_alone(tmp_path: Path, milvus_uri: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_BACKEND", "milvus")
    monkeypatch.setenv("SPEECHBOT_MILVUS_URI", milvus_uri)
    monkeypatch.setenv("SPEECHBOT_MILVUS_COLLECTION", "cli_settings")
    write(tmp_path / "src", "qinghe.txt", SPEECH_QINGHE)
    assert "added=1" in run("ingest", str(tmp_path / "src")).stdout
    assert not (tmp_path / "data" / "index" / "commits").exists()  # nothing of the local backend was written
    answer = json.loads(run("ask", "--json", "青禾县今年要引进多少个亿元以上项目?").stdout)
    assert answer["found"] and answer["citations"][0]["doc_id"] == "qinghe.txt"
    assert "qinghe.txt" in run("docs", "list").stdout
    assert run("docs", "rm", "qinghe.txt").exit_code == 0
    assert "qinghe.txt" not in run("docs", "list").stdout


@pytest.mark.parametrize(("uri", "says"), [("http://127.0.0.1:9", "cannot reach Milvus at http://127.0.0.1:9"),
                                            ("", "SPEECHBOT_MILVUS_URI")])
def test_an_unusable_milvus_uri_is_one_line(uri: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval.milvus import client

    monkeypatch.setattr(client, "TIMEOUT_S", 1.0)
    monkeypatch.setenv("SPEECHBOT_BACKEND", "milvus")
    monkeypatch.setenv("SPEECHBOT_MILVUS_URI", uri)
    result = run("ask", "青禾县今年要引进多少个亿元以上项目?")
    _one_error_line(result)
    assert says in result.output
