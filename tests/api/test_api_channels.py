"""The service mounts the channels: the OpenAI-compatible API behind its keys, and a messaging bot from the
channels file, answering from the real index through a fake platform API on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from speechbot.server import create_app
from tests.api.support import settings_for

SECRET = "s3cret-token"


class FakeTelegram:
    """Records every call to the Telegram Bot API."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.calls.append((self.path, json.loads(body or b"{}")))
                payload = json.dumps({"ok": True, "result": {"message_id": 1}}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    yield fake
    fake.httpd.shutdown()


@pytest.fixture
def client(data_dir, telegram, tmp_path) -> Iterator[TestClient]:
    channels = tmp_path / "channels.json"
    channels.write_text(json.dumps([{"platform": "telegram", "id": "main", "bot_token": "123:ABC",
                                     "secret_token": SECRET, "api_base": telegram.base}]), encoding="utf-8")
    settings = settings_for(data_dir, channels_file=channels, api_keys="key-one-1,key-two-2")
    with TestClient(create_app(settings)) as c:
        yield c


def update(text: str) -> dict:
    return {"update_id": 7, "message": {"message_id": 3, "date": 0, "text": text,
                                        "from": {"id": 5, "first_name": "A"}, "chat": {"id": 42, "type": "private"}}}


def test_openai_api_needs_one_of_the_configured_keys(client):
    assert client.get("/v1/models").status_code == 401
    assert client.get("/v1/models", headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.get("/v1/models", headers={"authorization": "Bearer key-two-2"}).status_code == 200


def test_openai_api_answers_from_the_index_with_references(client):
    question = "今年青山市招商引资的目标是签约多少个亿元以上项目?"
    body = {"model": "speechbot", "messages": [{"role": "user", "content": question}]}
    reply = client.post("/v1/chat/completions", json=body, headers={"authorization": "Bearer key-one-1"}).json()
    assert "120个" in reply["choices"][0]["message"]["content"]
    assert reply["references"] and reply["references"][0]["doc_id"] == "qingshan.txt"


def test_a_telegram_update_with_a_bad_secret_is_refused_and_nothing_is_sent(client, telegram):
    response = client.post("/im/telegram/main", json=update("今年青山市招商引资的目标是什么?"),
                           headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
    assert response.status_code == 403
    time.sleep(0.3)
    assert telegram.calls == []


def test_a_telegram_question_is_answered_from_the_index(client, telegram):
    response = client.post("/im/telegram/main", json=update("今年青山市招商引资的目标是签约多少个亿元以上项目?"),
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 200
    deadline = time.monotonic() + 10
    while not telegram.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    path, sent = telegram.calls[0]
    assert path == "/bot123:ABC/sendMessage" and sent["chat_id"] == 42
    assert "120个" in sent["text"] and "来源" in sent["text"]
