"""Configuration errors through the command: one line naming the variable or file and field, exit 1, no traceback.
Also the small things of the command: whole document IDs, unique prefixes, help without `<bool>`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.llm import factory
from bot.prompts import load_prompts
from speechbot.cli import app
from speechbot.settings import Settings
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, write

QUESTION = "青禾县今年要引进多少个亿元以上项目？"
UNREACHABLE = "http://127.0.0.1:9/v1/"  # the discard port: nothing listens there; a trailing slash on purpose


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("SPEECHBOT_EMBED_MODEL", "SPEECHBOT_LLM_BASE_URL", "SPEECHBOT_LLM_MODEL", "SPEECHBOT_INDEX",
                "SPEECHBOT_CHANNELS_FILE", "SPEECHBOT_TOP_K", "SPEECHBOT_CHUNK_SIZE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SPEECHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-config")
    write(root / "src", "2024-qinghe-county.txt", SPEECH_QINGHE)
    write(root / "src", "2024-lanshan-district.txt", SPEECH_LANSHAN)
    result = CliRunner().invoke(app, ["ingest", str(root / "src"), "--index", str(root / "index")])
    assert result.exit_code == 0, result.output
    return root / "index"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_llm_without_the_llm_extra(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("SPEECHBOT_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # what an install without the extra looks like
    line = one_error_line(run("ask", QUESTION, "--index", str(index)))
    assert "SPEECHBOT_LLM_BASE_URL" in line and "pip install 'speechbot[llm]'" in line


def test_serve_checks_the_llm_configuration_before_anything_is_ingested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("SPEECHBOT_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    assert "pip install 'speechbot[llm]'" in one_error_line(run("serve", "--port", "8765"))  # no index yet


def test_llm_without_a_model_name(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", UNREACHABLE)
    assert "SPEECHBOT_LLM_MODEL" in one_error_line(run("ask", QUESTION, "--index", str(index)))


def test_a_trailing_slash_in_the_llm_base_url_is_accepted(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("SPEECHBOT_LLM_MODEL", "qwen2.5:7b")
    assert Settings().llm_base_url == "http://127.0.0.1:9/v1"
    result = run("ask", QUESTION, "--json", "--index", str(index))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["mode"] == "llm-fallback" and "40" in answer["answer"]  # nothing listens: extractive answer


def test_a_broken_prompt_file_names_the_file(index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("SPEECHBOT_LLM_MODEL", "m")
    monkeypatch.setattr(factory, "load_prompts", lambda _dir: load_prompts(tmp_path / "no-prompts"))
    assert "no-prompts" in one_error_line(run("ask", QUESTION, "--index", str(index)))


@pytest.mark.parametrize(("var", "value", "expected"), [
    ("SPEECHBOT_TOP_K", "five", "SPEECHBOT_TOP_K: Input should be a valid integer"),
    ("SPEECHBOT_TOP_K", "0", "SPEECHBOT_TOP_K: Input should be greater than or equal to 1 (got '0')"),
    ("SPEECHBOT_CHUNK_SIZE", "-5", "SPEECHBOT_CHUNK_SIZE: Input should be greater than or equal to 20"),
    ("SPEECHBOT_LLM_TIMEOUT", "soon", "SPEECHBOT_LLM_TIMEOUT: Input should be a valid number"),
])
def test_bad_numeric_settings(index: Path, monkeypatch: pytest.MonkeyPatch, var: str, value: str,
                              expected: str) -> None:
    monkeypatch.setenv(var, value)
    assert expected in one_error_line(run("ask", QUESTION, "--index", str(index)))
    assert expected in one_error_line(run("ingest", str(index.parent / "src"), "--index", str(index)))


@pytest.mark.parametrize(("var", "value", "expected"), [
    ("SPEECHBOT_RATE_LIMIT_KEY", "lots", "SPEECHBOT_RATE_LIMIT_KEY: Value error, couldn't parse rate limit string"),
    ("SPEECHBOT_MAX_UPLOAD_FILES", "0", "SPEECHBOT_MAX_UPLOAD_FILES: Input should be greater than or equal to 1"),
])
def test_bad_service_settings_stop_serve_with_one_line(monkeypatch: pytest.MonkeyPatch, var: str, value: str,
                                                      expected: str) -> None:
    monkeypatch.setenv(var, value)
    line = one_error_line(run("serve", "--port", "8765"))
    assert expected in line and repr(value) in line


@pytest.mark.parametrize(("bots", "expected"), [
    ([{"platform": "telegram", "id": "tg", "bot_token": "1:a"}], "bot #0 (telegram 'tg'), field 'secret_token'"),
    ([{"platform": "feishu", "id": "f", "app_id": "a", "app_secret": "s", "verification_token": "v",
       "api_base": "open.larksuite.com/"}], "field 'api_base'"),
    ({"platform": "slack"}, "expected a list of bots"),
])
def test_a_bad_channels_file_names_the_file_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       bots: object, expected: str) -> None:
    path = tmp_path / "channels.json"
    path.write_text(json.dumps(bots), encoding="utf-8")
    monkeypatch.setenv("SPEECHBOT_CHANNELS_FILE", str(path))
    line = one_error_line(run("serve", "--port", "8765"))
    assert str(path) in line and expected in line


def test_a_missing_channels_file_and_bad_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_CHANNELS_FILE", str(tmp_path / "nope.yaml"))
    assert "cannot read" in one_error_line(run("serve"))
    (tmp_path / "bad.yaml").write_text("- platform: slack\n  id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("SPEECHBOT_CHANNELS_FILE", str(tmp_path / "bad.yaml"))
    assert "not valid YAML" in one_error_line(run("serve"))  # the YAML error's own line breaks are joined


def test_docs_list_prints_whole_ids_and_a_unique_prefix_is_enough(index: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(index, copy, symlinks=True)
    listed = run("docs", "list", "--index", str(copy)).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["2024-lanshan-district.txt", "2024-qinghe-county.txt"]
    shown = run("docs", "show", "2024-q", "--index", str(copy))
    assert shown.exit_code == 0 and "县委书记 林海川" in shown.stdout
    ambiguous = one_error_line(run("docs", "show", "2024-", "--index", str(copy)))
    assert "2024-lanshan-district.txt, 2024-qinghe-county.txt" in ambiguous and "give more of it" in ambiguous
    assert "no document 'xyz'" in one_error_line(run("docs", "rm", "xyz", "--index", str(copy)))
    removed = run("docs", "rm", "2024-l", "--index", str(copy))
    assert removed.exit_code == 0 and "removed 2024-lanshan-district.txt" in removed.stdout


@pytest.mark.parametrize("command", [[], ["ingest"], ["ask"], ["search"], ["docs"], ["docs", "list"], ["eval"],
                                     ["serve"], ["keys"], ["keys", "new"]])
def test_help_shows_no_bool_placeholders(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "--help" in result.stdout and "<bool>" not in result.stdout


@pytest.mark.parametrize(("var", "value", "expected"), [
    ("SPEECHBOT_DATABASE_URL", "db.example/speechbot", "SPEECHBOT_DATABASE_URL: Value error, expected a URL"),
    ("SPEECHBOT_DATABASE_URL", "nosuchdb://u:hunter2@db.example/speechbot", "unknown database kind"),
    ("SPEECHBOT_DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:9/speechbot", "cannot use the database"),
    ("SPEECHBOT_REDIS_URL", "http://u:hunter2@127.0.0.1:9/0", "SPEECHBOT_REDIS_URL: cannot use"),
    ("SPEECHBOT_REDIS_URL", "redis://:hunter2@127.0.0.1:9/0", "SPEECHBOT_REDIS_URL: cannot use redis://:***@"),
])
def test_a_bad_shared_store_stops_serve_with_one_line_and_no_password(monkeypatch: pytest.MonkeyPatch, var: str,
                                                                      value: str, expected: str) -> None:
    monkeypatch.setenv(var, value)
    line = one_error_line(run("serve", "--port", "8765"))
    assert expected in line and "hunter2" not in line


def test_postgresql_without_the_postgres_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", "postgresql://u:hunter2@db.example/speechbot")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an install without the extra looks like
    line = one_error_line(run("serve", "--port", "8765"))
    assert "SPEECHBOT_DATABASE_URL" in line and "pip install 'speechbot[postgres]'" in line and "hunter2" not in line


def test_an_empty_file_setting_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker-compose passes `${SPEECHBOT_CHANNELS_FILE:-}` as an empty value when .env leaves it out."""
    for var in ("SPEECHBOT_CHANNELS_FILE", "SPEECHBOT_API_KEYS_FILE", "SPEECHBOT_INDEX"):
        monkeypatch.setenv(var, "")
    settings = Settings()
    assert settings.channels_file is None and settings.api_keys_file is None and settings.index is None
