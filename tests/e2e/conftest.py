"""A real server on 127.0.0.1 over the sample corpus, and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from speechbot import wiring
from speechbot.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "speeches"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serve(settings: Settings) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    from speechbot.server import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _ingested(source: Path, data: Path) -> Settings:
    src = data / "speeches"
    shutil.copytree(source, src)
    settings = Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="")
    wiring.make_ingestor(settings).run([src])
    return settings


@pytest.fixture(scope="session")
def base_url(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service, serving an index of the sample corpus, on a free local port."""
    with _serve(_ingested(corpus_dir, tmp_path_factory.mktemp("e2e"))) as url:
        yield url


@pytest.fixture(scope="session")
def examples_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service over the repository's example library (examples/speeches): needs nothing outside the repo."""
    with _serve(_ingested(EXAMPLES, tmp_path_factory.mktemp("e2e-examples"))) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium (Debian package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _open_page(browser, url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(url + "/")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, base_url: str):  # type: ignore[no-untyped-def]
    yield from _open_page(browser, base_url)


@pytest.fixture
def examples_page(browser, examples_url: str):  # type: ignore[no-untyped-def]
    yield from _open_page(browser, examples_url)


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
