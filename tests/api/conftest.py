"""An app over a small index of fixture speeches, fresh for every test (uploads and deletes change it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from speechbot import wiring
from speechbot.server import create_app
from speechbot.settings import Settings
from tests.api.speeches import FIXTURES
from tests.api.support import settings_for


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the fixture speeches ingested, built once per session."""
    root = tmp_path_factory.mktemp("pristine")
    src = root / "src"
    src.mkdir()
    for name, text in FIXTURES.items():
        (src / name).write_text(text, encoding="utf-8")
    data = root / "data"
    report = wiring.make_ingestor(settings_for(data)).run([src])
    assert report.count("added") == len(FIXTURES), report
    return data


@pytest.fixture
def data_dir(pristine: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    return data


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return settings_for(data_dir)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c
