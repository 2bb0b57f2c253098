"""The lock interface: one method, held as a context manager."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class JobLock(Protocol):
    """Mutual exclusion between every process of the service, released if its holder dies."""

    kind: str

    def hold(self, timeout_s: float) -> AbstractContextManager[bool]:
        """Wait up to `timeout_s` for the lock; the context yields whether it is held, and releases it on exit."""
        ...
