"""The isolated ingest worker: a real process that runs out of memory or time dies alone, with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.backends import index_version
from speechbot.isolated import run_isolated
from speechbot.jobs import IngestCrashed
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "uploads" / "j1").mkdir(parents=True)
    (tmp_path / "uploads" / "j1" / "baisha.txt").write_text(UPLOAD, encoding="utf-8")
    return tmp_path


def test_the_worker_ingests_and_records_sources_relative_to_the_data_folder(data: Path) -> None:
    seen = []
    report = run_isolated(settings_for(data), [Path("uploads/j1/baisha.txt")], seen.append)
    assert [(o.outcome, o.path) for o in report.outcomes] == [("added", "uploads/j1/baisha.txt")] and seen
    from retrieval.backends import open_index

    assert open_index(data / "index").record("baisha.txt").sources == ["uploads/j1/baisha.txt"]


def test_a_worker_over_its_memory_limit_dies_alone_with_the_reason(data: Path) -> None:
    # The lowest limit allowed: an ingest of one small file fits in 400 MB since jieba-rs segments it.
    with pytest.raises(IngestCrashed, match=r"ran out of memory.*256 MB"):
        run_isolated(settings_for(data, ingest_memory_mb=256), [Path("uploads/j1/baisha.txt")], lambda o: None)
    assert index_version(data / "index") is None  # nothing was committed


def test_a_worker_over_its_time_limit_is_killed(data: Path) -> None:
    with pytest.raises(IngestCrashed, match="after the 1 s limit"):
        run_isolated(settings_for(data, ingest_timeout_s=1), [Path("uploads/j1/baisha.txt")], lambda o: None)
