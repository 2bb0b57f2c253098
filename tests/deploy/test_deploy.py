"""deploy/: the compose file wires two replicas to the shared stores (and validates with docker compose when a
client is installed), the Dockerfile pins torch as CI does, and deploy/nginx.conf really balances two `speechbot
serve` processes sharing one PostgreSQL, one Redis and one data folder — with a real nginx, no Docker."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import yaml

from speechbot import wiring
from speechbot.settings import Settings
from tests.api.speeches import FIXTURES
from tests.api.support import parse_sse, settings_for
from tests.peers import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KEY = "deploy-test-key-1"
AUTH = {"authorization": f"Bearer {KEY}"}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_compose_file_wires_two_replicas_to_the_shared_stores() -> None:
    services = compose()["services"]
    assert {"speechbot-1", "speechbot-2", "nginx", "postgres", "redis", "etcd", "minio", "milvus"} <= set(services)
    for name in ("speechbot-1", "speechbot-2"):
        replica = services[name]
        env = replica["environment"]
        assert env["SPEECHBOT_DATABASE_URL"].startswith("postgresql://speechbot:") and "@postgres:5432/" in \
            env["SPEECHBOT_DATABASE_URL"]
        assert env["SPEECHBOT_REDIS_URL"] == "redis://redis:6379/0"
        assert "speechbot-data:/data" in replica["volumes"] and env["SPEECHBOT_DATA_DIR"] == "/data"
        assert "ports" not in replica  # reached through nginx only (it trusts X-Forwarded-For)
        assert replica["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    assert all(services[name]["profiles"] == ["milvus"] for name in ("etcd", "minio", "milvus"))
    upstreams = re.findall(r"server (speechbot-\d):8000", (DEPLOY / "nginx.conf").read_text(encoding="utf-8"))
    assert upstreams == ["speechbot-1", "speechbot-2"]


def test_the_replicas_environment_makes_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `.env` leaves out reaches the replica as an empty value: each must mean the default."""
    env = compose()["services"]["speechbot-1"]["environment"]
    for name, value in env.items():
        value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))  # ${X:-default} -> default
        monkeypatch.setenv(name, re.sub(r"\$\{\w+:\?[^}]*\}", "secret", value))  # ${X:?msg} -> a value
    settings = Settings(_env_file=None)
    assert settings.channels_file is None and settings.embed_model == "" and settings.llm_base_url == ""
    assert settings.database_url == "postgresql://speechbot:secret@postgres:5432/speechbot"
    assert settings.api_keys_file == Path("/etc/speechbot/keys.txt") and settings.allowed_hosts == []
    assert settings.backend == "local" and settings.milvus_uri == ""


def test_the_milvus_profile_is_two_settings_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """env.example's backend lines, pointed at the profile's Milvus, make valid settings of the Milvus backend."""
    from speechbot import wiring

    lines = (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines()
    assert {"SPEECHBOT_BACKEND=local", "SPEECHBOT_MILVUS_URI="} <= set(lines)
    env = compose()["services"]["speechbot-2"]["environment"]
    assert env["SPEECHBOT_BACKEND"] == "${SPEECHBOT_BACKEND:-local}" and "SPEECHBOT_MILVUS_URI" in env
    major, minor = map(int, re.search(r":v(\d+)\.(\d+)", compose()["services"]["milvus"]["image"]).groups())
    assert (major, minor) >= (2, 6)  # the backend's partial updates
    monkeypatch.setenv("SPEECHBOT_BACKEND", "milvus")
    monkeypatch.setenv("SPEECHBOT_MILVUS_URI", "http://milvus:19530")
    backend = wiring.backend(Settings(_env_file=None))
    assert (backend.name, backend.milvus_uri, backend.collection) == ("milvus", "http://milvus:19530", "speechbot")


def test_the_dockerfile_pins_torch_as_ci_does() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (pinned,) = re.findall(r"ARG TORCH_VERSION=(\S+)", dockerfile)
    assert f"torch=={pinned}" in ci
    for package in ("speechbot", "ingest", "retrieval", "bot", "channels", "prompts"):
        assert f"COPY {package} {package}" in dockerfile  # what pyproject's package list names


def _wheel_files(source: Path, out: Path) -> set[str]:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                            str(out), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if ".dist-info/" not in name}


def test_what_the_dockerfile_copies_builds_the_whole_package(tmp_path: Path) -> None:
    """The image installs from its COPY lines only: they must hold every file the package ships."""
    pytest.importorskip("setuptools", reason="building the wheel needs setuptools in this environment")
    context = tmp_path / "context"
    context.mkdir()
    for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            *sources, _dest = line.split()[1:]
            for source in sources:
                copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
                copy(ROOT / source, context / source)
    for cache in context.rglob("__pycache__"):
        shutil.rmtree(cache)
    shipped = _wheel_files(context, tmp_path / "image")
    assert shipped == _wheel_files(ROOT, tmp_path / "checkout")
    assert "prompts/answer.md" in shipped and "speechbot/web/index.html" in shipped


def _compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("no docker compose client (Docker's compose plugin or Debian's docker-compose)")


def test_docker_compose_accepts_the_file() -> None:
    command = _compose_command()
    env = {**os.environ, "POSTGRES_PASSWORD": "check-only"}
    checked = subprocess.run([*command, "--profile", "milvus", "config", "--services"], cwd=DEPLOY, env=env,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert {"speechbot-1", "speechbot-2", "nginx", "milvus"} <= set(checked.stdout.split())
    missing = subprocess.run([*command, "config", "-q"], cwd=DEPLOY, capture_output=True, text=True,
                             env={k: v for k, v in os.environ.items() if k != "POSTGRES_PASSWORD"})
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr  # a required setting, named


# --- deploy/nginx.conf in front of two real replicas -------------------------------------------------------------

@contextmanager
def replica(data: Path, env: dict[str, str], log: Path) -> Iterator[int]:
    """`speechbot serve` in its own process; yields its port once /healthz answers."""
    port = free_port()
    code = "from speechbot.cli import main; main()"
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port)], cwd=data,
                                   env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "replica did not start"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(20)


@contextmanager
def nginx(ports: list[int]) -> Iterator[str]:
    """deploy/nginx.conf with the replicas' addresses filled in, under a minimal main configuration."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx not installed (apt-get install nginx; .ci/run installs it)")
    folder = Path(tempfile.mkdtemp(prefix="speechbot-nginx-"))
    folder.chmod(0o755)  # workers may run as another user
    listen = free_port()
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8").replace("listen 80;", f"listen 127.0.0.1:{listen};")
    for n, port in enumerate(ports, 1):
        site = site.replace(f"server speechbot-{n}:8000", f"server 127.0.0.1:{port}")
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                        "scgi"))
    (folder / "nginx.conf").write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log {folder}/access.log;\n{temp}include {folder}/site.conf;\n}}\n", encoding="utf-8")
    checked = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{listen}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{listen}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def balanced(tmp_path: Path, postgres_url: str, redis_url: str) -> Iterator[tuple[str, list[Path]]]:
    src, data = tmp_path / "src", tmp_path / "data"
    src.mkdir()
    for name, text in FIXTURES.items():
        (src / name).write_text(text, encoding="utf-8")
    wiring.make_ingestor(settings_for(data)).run([src])
    env = {"SPEECHBOT_DATA_DIR": str(data), "SPEECHBOT_DATABASE_URL": postgres_url, "SPEECHBOT_REDIS_URL": redis_url,
           "SPEECHBOT_API_KEYS": f"{KEY}:ask+write", "SPEECHBOT_INGEST_WORKERS": "1", "SPEECHBOT_EMBED_MODEL": "",
           "SPEECHBOT_LLM_BASE_URL": "", "HF_HUB_OFFLINE": "1"}
    logs = [tmp_path / "replica-1.log", tmp_path / "replica-2.log"]
    with ExitStack() as stack:
        ports = [stack.enter_context(replica(data, env, log)) for log in logs]
        yield stack.enter_context(nginx(ports)), logs


def test_nginx_balances_one_conversation_an_upload_and_a_stream_over_two_replicas(
        balanced: tuple[str, list[Path]]) -> None:
    base, logs = balanced
    with httpx.Client(base_url=base, headers=AUTH, timeout=30) as http:
        cid = http.post("/api/chat", json={"message": "临河县今年粮食播种面积要稳定在多少?"}).json()["conversation_id"]
        for message in ("那改厕呢?", "村庄保洁覆盖率呢?", "那粮食总产量呢?"):
            reply = http.post("/api/chat", json={"conversation_id": cid, "message": message})
            assert reply.status_code == 200 and reply.json()["conversation_id"] == cid
        history = http.get(f"/api/conversations/{cid}").json()["history"]
        assert [m["role"] for m in history] == ["user", "assistant"] * 4
        # A browser's write through the proxy (its Origin carries the port nginx listens on) is same-origin.
        page_write = http.post("/api/chat", json={"message": "今年青山市招商引资的目标是什么?"},
                               headers={"origin": base, "accept": "text/event-stream"})
        assert page_write.status_code == 200
        events = parse_sse(page_write.text)
        assert events[0][0] == "citations" and events[-1][0] == "final"
        text = "赵一鸣在临河县2024年文旅工作会议上的讲话\n（2024年4月2日）\n\n今年临河县要接待游客320万人次。\n"
        job = http.post("/api/documents", files=[("files", ("wenlv.txt", text.encode(), "text/plain"))]).json()
        deadline = time.monotonic() + 120
        while (seen := http.get(f"/api/jobs/{job['job_id']}").json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, seen
            time.sleep(0.3)
        assert seen["status"] == "done", json.dumps(seen, ensure_ascii=False)
    served = [log.read_text(encoding="utf-8").count("POST /api/chat") for log in logs]
    assert all(n >= 2 for n in served) and sum(served) == 5, served  # round robin: both replicas took part
