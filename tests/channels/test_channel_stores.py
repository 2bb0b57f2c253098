"""The in-memory dedupe TTL store and per-conversation history (Redis: test_channel_state_redis.py), and the
channels file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels.config import DingTalkBot, TelegramBot, WeComAppBot, load_channels
from channels.errors import ChannelsConfigError
from channels.state.memory import MemoryDedupe, MemoryHistory


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_dedupe_remembers_for_the_ttl_then_forgets() -> None:
    clock = Clock()
    store = MemoryDedupe(clock=clock)
    assert store.ttl_s >= 8 * 3600
    assert store.seen("a") is False
    assert store.seen("a") is True
    clock.now += 8 * 3600 - 1
    assert store.seen("a") is True
    clock.now += 2
    assert store.seen("a") is False
    assert len(store) == 1


def test_dedupe_is_bounded() -> None:
    store = MemoryDedupe(max_entries=3, clock=Clock())
    for key in "abcd":
        store.seen(key)
    assert len(store) == 3
    assert store.seen("a") is False  # the oldest was evicted
    assert store.seen("d") is True


def test_history_keeps_the_last_turns_per_conversation() -> None:
    history = MemoryHistory(max_turns=4, max_conversations=2)
    for n in range(3):
        history.append("c1", f"q{n}", f"a{n}")
    assert [t.content for t in history.get("c1")] == ["q1", "a1", "q2", "a2"]
    assert history.get("other") == []
    history.append("c2", "x", "y")
    history.append("c3", "x", "y")
    assert history.get("c1") == []  # least recently used conversation dropped
    history.get("c2").clear()  # a copy: the store is unchanged
    assert len(history.get("c2")) == 2


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_json_and_yaml(tmp_path: Path) -> None:
    bots = [{"platform": "wecom", "id": "corp", "token": "t", "encoding_aes_key": "k" * 43, "corp_id": "wx1",
             "corp_secret": "s", "agent_id": 1000002, "api_base": "http://127.0.0.1:9"},
            {"platform": "telegram", "id": "tg", "bot_token": "1:a", "secret_token": "abc_-1"}]
    loaded = load_channels(_write(tmp_path, "c.json", json.dumps(bots)))
    assert isinstance(loaded[0], WeComAppBot) and loaded[0].api_base == "http://127.0.0.1:9"
    assert isinstance(loaded[1], TelegramBot) and loaded[1].api_base == "https://api.telegram.org"
    yaml_text = "- platform: dingtalk\n  id: dt\n  app_key: ding1\n  app_secret: SECRETVALUE\n  mode: stream\n"
    (bot,) = load_channels(_write(tmp_path, "c.yaml", yaml_text))
    assert isinstance(bot, DingTalkBot) and bot.mode == "stream"
    assert bot.app_secret == "SECRETVALUE" and "SECRETVALUE" not in repr(bot)  # secrets stay out of logs


@pytest.mark.parametrize(("text", "expected"), [
    ('[{"platform": "feishu", "id": "f", "app_id": "a"}]', "bot #0 (feishu 'f'), field 'app_secret'"),
    ('[{"platform": "slack", "id": "s", "signing_secret": "x", "bot_token": "y", "tokn": 1}]', "field 'tokn'"),
    ('[{"platform": "irc", "id": "i"}]', "field 'platform'"),
    ('[{"platform": "telegram", "id": "bad id", "bot_token": "1", "secret_token": "s"}]', "field 'id'"),
    ('{"platform": "telegram"}', "expected a list of bots"),
    ("[{", "not valid JSON"),
    ('[{"platform": "telegram", "id": "a", "bot_token": "1", "secret_token": "s"},'
     ' {"platform": "telegram", "id": "a", "bot_token": "2", "secret_token": "t"}]', "duplicate bot telegram/a"),
])
def test_bad_file_names_the_file_and_the_field(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, "channels.json", text)
    with pytest.raises(ChannelsConfigError) as error:
        load_channels(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ChannelsConfigError, match="cannot read"):
        load_channels(tmp_path / "nope.json")
    with pytest.raises(ChannelsConfigError, match="not valid YAML"):
        load_channels(_write(tmp_path, "c.yml", "- [unclosed"))


def test_a_trailing_slash_in_a_base_url_is_accepted_and_dropped(tmp_path: Path) -> None:
    bots = [{"platform": "feishu", "id": "lark", "app_id": "a", "app_secret": "s", "verification_token": "v",
             "api_base": "https://open.larksuite.com/"},
            {"platform": "slack", "id": "s", "signing_secret": "x", "bot_token": "y", "api_base": "http://127.0.0.1:9/api/"}]
    lark, slack = load_channels(_write(tmp_path, "c.json", json.dumps(bots)))
    assert lark.api_base == "https://open.larksuite.com" and slack.api_base == "http://127.0.0.1:9/api"
