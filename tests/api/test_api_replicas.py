"""Two replicas of the service — two apps in this process — sharing one index, one PostgreSQL conversations
database and one Redis, all real: a conversation goes on alternately on both without losing its history, a
messaging delivery that reaches both is answered once, jobs and rate limits are shared. The index is the local one
in the shared data folder, or a Milvus server in a process of its own (both replicas reach it by its URI, as
replicas on other machines would reach a cluster)."""

from __future__ import annotations

import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from speechbot import wiring
from speechbot.server import create_app
from speechbot.settings import Settings
from tests import peers
from tests.api.speeches import FIXTURES
from tests.api.support import settings_for
from tests.api.test_api_channels import SECRET, FakeTelegram, update

Q = "临河县今年粮食播种面积要稳定在多少?"
ADMIN = {"authorization": "Bearer admin-key-1"}
ALICE = {"authorization": "Bearer alice-key-1"}


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    yield fake
    fake.httpd.shutdown()


@pytest.fixture(scope="session")
def milvus_server_uri() -> Iterator[str]:
    with peers.milvus_server() as uri:
        yield uri


@pytest.fixture(params=["local", "milvus"])
def index_settings(request: pytest.FixtureRequest, data_dir: Path, tmp_path: Path) -> dict:
    """The settings that say where the replicas' index is; for Milvus, the fixture speeches in fresh collections."""
    if request.param == "local":
        return {}
    uri = request.getfixturevalue("milvus_server_uri")
    where = {"backend": "milvus", "milvus_uri": uri, "milvus_collection": f"replicas_{tmp_path.name[-24:]}"}
    src = tmp_path / "speeches"
    src.mkdir()
    for name, text in FIXTURES.items():
        (src / name).write_text(text, encoding="utf-8")
    report = wiring.make_ingestor(settings_for(tmp_path / "ingest", **where)).run([src])
    assert report.count("added") == len(FIXTURES), report
    shutil.rmtree(data_dir / "index")  # the shared folder's local index is not what the replicas will read
    return where


@pytest.fixture
def replicas(data_dir: Path, postgres_url: str, redis_url: str, telegram: FakeTelegram, index_settings: dict,
             tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    channels = tmp_path / "channels.json"
    channels.write_text(json.dumps([{"platform": "telegram", "id": "main", "bot_token": "123:ABC",
                                     "secret_token": SECRET, "api_base": telegram.base}]), encoding="utf-8")
    settings = settings_for(data_dir, database_url=postgres_url, redis_url=redis_url, channels_file=channels,
                            api_keys="admin-key-1:admin,alice-key-1:ask+write", rate_limit_key="", **index_settings)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        yield first, second


def test_one_conversation_goes_on_alternately_on_both_replicas(replicas: tuple[TestClient, TestClient]) -> None:
    first, second = replicas
    opened = first.post("/api/chat", json={"message": Q}, headers=ALICE).json()
    cid = opened["conversation_id"]
    assert "52万亩" in opened["answer"]
    follow = second.post("/api/chat", json={"conversation_id": cid, "message": "那改厕呢?"}, headers=ALICE).json()
    assert "临河" in follow["query"]  # rewritten with the place of the first question: the other replica had it
    again = first.post("/api/chat", json={"conversation_id": cid, "message": "村庄保洁覆盖率呢?"}, headers=ALICE)
    assert "改厕" in again.json()["query"]  # the turn the other replica recorded is in this one's history
    for replica in replicas:
        conversation = replica.get(f"/api/conversations/{cid}", headers=ALICE).json()
        assert [m["content"] for m in conversation["history"][::2]] == [Q, "那改厕呢?", "村庄保洁覆盖率呢?"]
        assert [c["id"] for c in replica.get("/api/conversations", headers=ALICE).json()] == [cid]
    assert second.delete(f"/api/conversations/{cid}", headers=ALICE).status_code == 200
    assert first.get(f"/api/conversations/{cid}", headers=ALICE).status_code == 404


def test_a_delivery_reaching_both_replicas_is_answered_once(replicas: tuple[TestClient, TestClient],
                                                            telegram: FakeTelegram) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    delivery = update("今年青山市招商引资的目标是签约多少个亿元以上项目?")
    assert all(r.post("/im/telegram/main", json=delivery, headers=headers).status_code == 200 for r in replicas)
    _wait(lambda: telegram.calls)
    time.sleep(0.5)  # long enough for a second answer to arrive, if one were coming
    assert len(telegram.calls) == 1 and "120个" in telegram.calls[0][1]["text"]
    # The chat's history is shared too: a follow-up on the other replica knows what was asked.
    follow = {**update("那实际到位资金呢?"), "update_id": 8}
    follow["message"] = {**follow["message"], "message_id": 4}
    assert replicas[1].post("/im/telegram/main", json=follow, headers=headers).status_code == 200
    _wait(lambda: len(telegram.calls) == 2)
    assert "300亿元" in telegram.calls[1][1]["text"]


def test_an_upload_on_one_replica_is_a_job_the_other_reports_and_both_answer_from(
        replicas: tuple[TestClient, TestClient]) -> None:
    first, second = replicas
    text = "赵一鸣在临河县2024年文旅工作会议上的讲话\n（2024年4月2日）\n\n今年临河县要接待游客320万人次。\n"
    files = [("files", ("wenlv.txt", io.BytesIO(text.encode()), "text/plain"))]
    job = first.post("/api/documents", files=files, headers=ALICE).json()
    deadline = time.monotonic() + 120
    while (seen := second.get(f"/api/jobs/{job['job_id']}", headers=ALICE).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, seen
        time.sleep(0.2)
    assert seen["status"] == "done" and seen["outcomes"][0]["outcome"] == "added"
    question = {"question": "临河县今年要接待游客多少万人次?"}
    _wait(lambda: "320万" in second.post("/api/ask", json=question, headers=ALICE).json()["answer"], 20)
    assert "320万" in first.post("/api/ask", json=question, headers=ALICE).json()["answer"]


def test_with_milvus_the_replicas_need_no_shared_index_folder(replicas: tuple[TestClient, TestClient]) -> None:
    """With the Milvus backend every answer comes from the server: the index folder holds no index."""
    settings: Settings = replicas[0].app.state.speechbot.settings
    if settings.backend != "milvus":
        pytest.skip("the local backend's index is the shared folder")
    assert not (settings.index_dir() / "commits").exists()
    ask = {"question": Q}
    assert all("52万亩" in r.post("/api/ask", json=ask, headers=ALICE).json()["answer"] for r in replicas)


def test_rate_limits_count_across_replicas(data_dir: Path, postgres_url: str, redis_url: str) -> None:
    settings = settings_for(data_dir, database_url=postgres_url, redis_url=redis_url, api_keys="k-1234567",
                            rate_limit_key="3/minute")
    key = {"authorization": "Bearer k-1234567"}
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        codes = [replica.get("/api/documents", headers=key).status_code for replica in (first, second, first, second)]
    assert codes == [200, 200, 200, 429]


def _wait(condition, timeout_s: float = 15) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
