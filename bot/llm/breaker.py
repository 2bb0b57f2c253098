"""A circuit breaker, so that a dead endpoint is not hammered by every question."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Opens after `failure_threshold` consecutive failures; after `cooldown` seconds lets one trial call through.

    A successful trial closes the circuit, a failed one opens it for another cool-down. While the trial is
    running, other calls are refused (the trial restarts the cool-down clock), so a half-open endpoint
    sees one request per cool-down. The clock is injectable for tests.
    """

    def __init__(
        self, failure_threshold: int = 5, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if failure_threshold < 1 or cooldown < 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown >= 0")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def allow(self) -> bool:
        """May a call go out now? In the half-open state this admits one trial and restarts the cool-down."""
        with self._lock:
            state = self._state()
            if state == "half-open":
                self._opened_at = self._clock()
            return state != "open"

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.failure_threshold:
                self._opened_at = self._clock()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half-open"
        return "open"
