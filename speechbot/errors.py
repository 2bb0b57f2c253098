"""Errors of the service's shared stores (database, Redis); the CLI prints them as one line."""

from __future__ import annotations


class StoreConfigError(ValueError):
    """A configured store cannot be used: a malformed URL, an unknown scheme, or a driver extra not installed.

    The message names the variable (SPEECHBOT_DATABASE_URL, SPEECHBOT_REDIS_URL) and never the password.
    """
