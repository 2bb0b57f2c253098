"""The gate every request passes first: Host, Origin, rate limits and the API key, before any route runs.

A pure ASGI middleware (not BaseHTTPMiddleware), so streamed answers pass through untouched. The route's own
dependency (`deps.require`) then checks the key's scope.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from speechbot.keys import ANONYMOUS_LOCAL, KeyRing, Principal
from speechbot.settings import Settings

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
PROTECTED = ("/api/", "/v1/")  # need a key (when keys are configured)
OPTIONAL = ("/readyz",)  # a key shows more; none is needed
WEBHOOKS = "/im/"  # messaging callbacks: checked by their platform's signature, not by keys, Host or Origin
NOBODY = Principal("anonymous", frozenset())


@dataclass
class GuardConfig:
    """What the guard enforces; built from Settings by `from_settings` in the app factory."""

    keys: KeyRing
    allowed_hosts: frozenset[str] | None  # None: any Host
    allowed_origins: frozenset[str] = frozenset()
    per_key: RateLimitItem | None = None
    per_ip: RateLimitItem | None = None
    auth_failures: RateLimitItem | None = None
    counters: str = "memory://"  # where the limits count: this process, or a Redis URL shared by the replicas


def _limit(text: str) -> RateLimitItem | None:
    return parse(text) if text.strip() else None


def from_settings(settings: Settings, keys: KeyRing) -> GuardConfig:
    """Without keys (and without --insecure-no-auth) only loopback Host names are served: a page on another site
    cannot reach the service through DNS rebinding."""
    hosts = {h.lower() for h in settings.allowed_hosts}
    if not hosts:
        hosts = {"*"} if keys or settings.insecure_no_auth else set(LOOPBACK_HOSTS)
    return GuardConfig(keys=keys, allowed_hosts=None if "*" in hosts else frozenset(hosts),
                       allowed_origins=frozenset(o.rstrip("/").lower() for o in settings.allowed_origins),
                       per_key=_limit(settings.rate_limit_key), per_ip=_limit(settings.rate_limit_ip),
                       auth_failures=_limit(settings.rate_limit_auth_failures),
                       counters=settings.redis_url or "memory://")


def _host_name(host: str) -> str:
    """`example.org:8000` -> `example.org`; `[::1]:8000` -> `[::1]`."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _netloc(value: str, scheme: str) -> str:
    """host[:port] without the scheme's default port, lower-cased."""
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    value = value.lower()
    return value[: -len(default)] if default and value.endswith(default) else value


class Guard:
    """Refuses, in this order: a Host not allowed (400), a cross-site write (403), too many requests or wrong keys
    from one address (429), a missing or wrong key (401), too many requests on one key (429)."""

    def __init__(self, app: ASGIApp, config: GuardConfig) -> None:
        self.app = app
        self.config = config
        # In Redis, every replica counts into the same windows: N replicas do not allow N times the limit.
        self.limiter = MovingWindowRateLimiter(storage_from_string(config.counters))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._check(scope, Headers(scope=scope))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope, headers: Headers) -> JSONResponse | None:
        path, method = scope["path"], scope["method"]
        if path.startswith(WEBHOOKS):  # platforms' signatures protect them; they arrive under the public name
            return None
        host = headers.get("host", "")
        allowed = self.config.allowed_hosts
        if allowed is not None and _host_name(host.lower()) not in allowed:
            return _refuse(path, 400, "host_not_allowed", f"Host {host!r} is not served here (allowed_hosts)")
        if method in UNSAFE and not self._same_origin(scope, headers):
            return _refuse(path, 403, "cross_origin",
                           "cross-origin request refused; add the page's origin to allowed_origins to allow it")
        protected = path.startswith(PROTECTED)
        if not (protected or path in OPTIONAL):
            return None
        ip = scope["client"][0] if scope.get("client") else "unknown"
        if (wait := self._exceeded(self.config.per_ip, "ip", ip)) is not None:
            return _refuse(path, 429, "rate_limited", "too many requests from this address", wait)
        principal, refusal = self._authenticate(path, headers, ip, required=protected)
        if refusal is not None:
            return refusal
        if principal is not ANONYMOUS_LOCAL and principal is not NOBODY and (
                wait := self._exceeded(self.config.per_key, "key", principal.name)) is not None:
            return _refuse(path, 429, "rate_limited", "too many requests with this key", wait)
        scope.setdefault("state", {})["principal"] = principal
        return None

    def _authenticate(self, path: str, headers: Headers, ip: str,
                      required: bool) -> tuple[Principal, JSONResponse | None]:
        if not self.config.keys:
            return ANONYMOUS_LOCAL, None
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if not token and not required:
            return NOBODY, None
        failures = self.config.auth_failures
        if failures is not None and not self.limiter.test(failures, "auth", ip):
            return NOBODY, _refuse(path, 429, "rate_limited", "too many wrong keys from this address",
                                   self._reset_in(failures, "auth", ip))
        principal = self.config.keys.authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            if failures is not None:
                self.limiter.hit(failures, "auth", ip)
            return NOBODY, _refuse(path, 401, "unauthorized",
                                   "missing or wrong API key; send it as 'Authorization: Bearer <key>'")
        return principal, None

    def _exceeded(self, item: RateLimitItem | None, kind: str, ident: str) -> int | None:
        """Seconds to wait when over the limit, else None (the request is counted)."""
        if item is None or self.limiter.hit(item, kind, ident):
            return None
        return self._reset_in(item, kind, ident)

    def _reset_in(self, item: RateLimitItem, kind: str, ident: str) -> int:
        reset = self.limiter.get_window_stats(item, kind, ident).reset_time
        return max(1, math.ceil(reset - time.time()))

    def _same_origin(self, scope: Scope, headers: Headers) -> bool:
        """A browser names the page that sent a write in Origin (or at least Sec-Fetch-Site); scripts send neither."""
        origin = headers.get("origin")
        if origin is None:
            return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
        origin = origin.rstrip("/").lower()
        if origin in self.config.allowed_origins:
            return True
        parts = urlsplit(origin)
        if not parts.scheme or not parts.netloc:
            return False  # "null": sandboxed frames, file:// pages
        return _netloc(parts.netloc, parts.scheme) == _netloc(headers.get("host", ""), parts.scheme)


def _refuse(path: str, status: int, code: str, detail: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if path.startswith("/v1/"):  # what OpenAI clients expect
        kind = "rate_limit_error" if status == 429 else "invalid_request_error"
        code = "invalid_api_key" if status == 401 else code
        return JSONResponse({"error": {"message": detail, "type": kind, "param": None, "code": code}},
                            status_code=status, headers=headers)
    return JSONResponse({"code": code, "detail": detail}, status_code=status, headers=headers)
