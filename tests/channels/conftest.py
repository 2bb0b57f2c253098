"""Fixtures for the channels tests; the fakes themselves live in channel_fakes.py."""

from __future__ import annotations

import pytest
from channel_fakes import FakeAPI, FakeBot


@pytest.fixture
def fake_bot() -> FakeBot:
    return FakeBot()


@pytest.fixture
def fake_api() -> FakeAPI:
    return FakeAPI()
