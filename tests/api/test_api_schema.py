"""schemathesis against the app's own OpenAPI schema: whatever it sends, no 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed: pip install schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402  (after the optional import)

from speechbot.server import create_app  # noqa: E402
from tests.api.support import settings_for  # noqa: E402

MAX_EXAMPLES = 25  # per operation; the whole run stays well under a minute


@pytest.fixture(scope="module")
def api_schema(pristine: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import shutil

    data = tmp_path_factory.mktemp("schema") / "data"
    shutil.copytree(pristine, data, symlinks=True)
    app = create_app(settings_for(data))
    # Our own endpoints; the OpenAI-compatible and IM channels are tested in tests/channels.
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=r"^/(api/|healthz|readyz)")


def test_no_server_errors(api_schema) -> None:  # type: ignore[no-untyped-def]
    # The pytest plugin's from_fixture does not work with pytest 9, so each operation gets its own @given.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    statuses: list[int] = []
    for operation in operations:
        _fuzz(operation, statuses)
    assert len(statuses) >= 5 * len(operations)
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)


def _fuzz(operation, statuses: list[int]) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}")

    check()
