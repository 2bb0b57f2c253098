"""schemathesis with every check (`--checks all`) against the real service: the OpenAPI schema is true.

Runs the schemathesis command on a live server on 127.0.0.1, as an operator would, without keys and with keys
(then also checking that routes refuse requests without one: `ignored_auth`). Every phase runs: examples,
coverage, fuzzing, and stateful sequences that follow the schema's links (upload -> job, chat -> conversation).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.support import serving, settings_for

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
ADMIN = "schema-admin-key-01"
MAX_EXAMPLES = 25  # per operation and phase: about half a minute per run on 2 cores


@pytest.mark.parametrize("keys", [False, True], ids=["no-keys", "keys"])
def test_schemathesis_all_checks_pass(pristine: Path, tmp_path: Path, keys: bool) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed: pip install schemathesis")
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    unlimited = {"rate_limit_ip": "", "rate_limit_key": "", "rate_limit_auth_failures": ""}
    settings = settings_for(data, api_keys=f"{ADMIN}:admin" if keys else "", **unlimited)
    auth = ["-H", f"Authorization: Bearer {ADMIN}"] if keys else []
    with serving(settings) as url:
        run = subprocess.run([str(SCHEMATHESIS), "run", f"{url}/openapi.json", "--checks", "all", "--no-color",
                              "--max-examples", str(MAX_EXAMPLES), "--seed", "20261129", "--workers", "1",
                              "--generation-database", "none", *auth],
                             capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its cache stays there
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
