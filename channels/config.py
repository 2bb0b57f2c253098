"""The channels file: a JSON or YAML list of bots, one pydantic model per platform, validated on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from channels.errors import ChannelsConfigError

_Secret = Annotated[str, Field(min_length=1, repr=False)]
# A base URL with or without a trailing slash; kept without it, since adapters append "/path".
_Base = Annotated[str, Field(pattern=r"^https?://[^\s/]+\S*$"), AfterValidator(lambda url: url.rstrip("/"))]


class _Bot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    history_turns: Annotated[int, Field(ge=0, le=50)] = 10


class WeComAppBot(_Bot):
    """WeCom self-built app (企业微信自建应用): XML callback, answers through message/send."""

    platform: Literal["wecom"]
    token: _Secret
    encoding_aes_key: Annotated[str, Field(min_length=43, max_length=43, repr=False)]
    corp_id: str
    corp_secret: _Secret
    agent_id: int
    api_base: _Base = "https://qyapi.weixin.qq.com"
    max_clock_skew_s: int = 3600


class WeComAIBot(_Bot):
    """WeCom AI bot (智能机器人, API mode): JSON callback, answers through stream refreshes."""

    platform: Literal["wecom_aibot"]
    token: _Secret
    encoding_aes_key: Annotated[str, Field(min_length=43, max_length=43, repr=False)]
    receive_id: str = ""  # always empty for internal AI bots
    stream_window_s: int = 330  # WeCom stops refreshing 6 min after the user's message
    max_clock_skew_s: int = 3600


class FeishuBot(_Bot):
    """Feishu / Lark app with event subscription v2 over HTTP."""

    platform: Literal["feishu"]
    app_id: str
    app_secret: _Secret
    verification_token: _Secret
    encrypt_key: Annotated[str, Field(repr=False)] = ""  # empty = plain events, no signature
    api_base: _Base = "https://open.feishu.cn"
    max_clock_skew_s: int = 300  # replay window: events created (and requests signed) longer ago are refused


class DingTalkBot(_Bot):
    """DingTalk enterprise robot, HTTP callback mode or Stream mode."""

    platform: Literal["dingtalk"]
    app_key: str  # also called client id; equals robotCode for an internal robot
    app_secret: _Secret
    mode: Literal["http", "stream"] = "http"
    api_base: _Base = "https://api.dingtalk.com"  # the open-API endpoint (Stream gateway)
    webhook_base: _Base = "https://oapi.dingtalk.com"  # sessionWebhook URLs must start with this
    max_clock_skew_s: int = 300  # replay window of the signed timestamp, as Slack's


class TelegramBot(_Bot):
    """Telegram bot with a webhook set up with a secret token."""

    platform: Literal["telegram"]
    bot_token: _Secret
    secret_token: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,256}$", repr=False)]
    api_base: _Base = "https://api.telegram.org"


class SlackBot(_Bot):
    """Slack app with the Events API."""

    platform: Literal["slack"]
    signing_secret: _Secret
    bot_token: _Secret
    api_base: _Base = "https://slack.com/api"
    max_clock_skew_s: int = 300


BotConfig = Annotated[
    WeComAppBot | WeComAIBot | FeishuBot | DingTalkBot | TelegramBot | SlackBot,
    Field(discriminator="platform"),
]
_BOTS = TypeAdapter(list[BotConfig])


def _read(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChannelsConfigError(f"channels file {path}: cannot read: {exc.strerror or exc}") from exc
    if path.suffix.lower() not in {".yaml", ".yml"}:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ChannelsConfigError(f"channels file {path}: not valid JSON: {exc}") from exc
    try:
        import yaml
    except ImportError as exc:
        raise ChannelsConfigError(f"channels file {path}: YAML needs PyYAML (pip install pyyaml)") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChannelsConfigError(f"channels file {path}: not valid YAML: {exc}") from exc


def _describe(error: dict, data: object) -> str:
    loc = list(error["loc"])
    where = f"bot #{loc[0]}" if loc and isinstance(loc[0], int) else "top level"
    if loc and isinstance(loc[0], int) and isinstance(data, list) and isinstance(data[loc[0]], dict):
        item = data[loc[0]]
        where += f" ({item.get('platform', '?')} {item.get('id', '?')!r})"
    field_path = ".".join(str(part) for part in loc[2:]) if len(loc) > 2 else ""
    return f"{where}, field {field_path or 'platform'!r}: {error['msg']}"


def parse_channels(data: object, source: str = "<channels>") -> list[BotConfig]:
    """Validate already-loaded data; `source` names the file in errors."""
    if not isinstance(data, list):
        raise ChannelsConfigError(f"channels file {source}: expected a list of bots, got {type(data).__name__}")
    try:
        bots = _BOTS.validate_python(data)
    except ValidationError as exc:
        details = "; ".join(_describe(e, data) for e in exc.errors())
        raise ChannelsConfigError(f"channels file {source}: {details}") from exc
    seen: set[tuple[str, str]] = set()
    for bot in bots:
        if (bot.platform, bot.id) in seen:
            raise ChannelsConfigError(f"channels file {source}: duplicate bot {bot.platform}/{bot.id}")
        seen.add((bot.platform, bot.id))
    return bots


def load_channels(path: str | Path) -> list[BotConfig]:
    """Load and validate the channels file (JSON, or YAML by a .yaml/.yml suffix).

    Example file: `[{"platform": "telegram", "id": "main", "bot_token": "123:abc", "secret_token": "s3cret"}]`

    Raises:
        ChannelsConfigError: the file is unreadable or invalid; the message names the file and the field.
    """
    path = Path(path)
    return parse_channels(_read(path), str(path))
