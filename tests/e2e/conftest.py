"""A real server on 127.0.0.1 over the sample corpus, and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from speechbot import wiring
from speechbot.settings import Settings
from tests.api.support import serving

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "speeches"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


PAGE_KEY = "page-key-0123456789"  # the key of the keyed server, with ask and write scopes


def _ingested(source: Path, data: Path) -> Settings:
    """Settings of a data folder in which a copy of `source` is ingested."""
    src = data / "speeches"
    shutil.copytree(source, src)
    settings = Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="")
    wiring.make_ingestor(settings).run([src])
    return settings


@pytest.fixture(scope="session")
def corpus_data(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the sample corpus ingested, built once."""
    data = tmp_path_factory.mktemp("e2e")
    src = data / "corpus"
    shutil.copytree(corpus_dir, src)
    wiring.make_ingestor(Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="")).run([src])
    return data


@pytest.fixture(scope="session")
def base_url(corpus_data: Path) -> Iterator[str]:
    """The service without keys (so on loopback only), serving an index of the sample corpus."""
    with serving(Settings(data_dir=corpus_data, index=corpus_data / "index", embed_model="", llm_base_url="")) as url:
        yield url


@pytest.fixture
def keyed_url(corpus_data: Path, tmp_path: Path) -> Iterator[str]:
    """The same library behind an API key."""
    data = tmp_path / "keyed"
    shutil.copytree(corpus_data / "index", data / "index", symlinks=True)
    settings = Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="",
                       api_keys=f"{PAGE_KEY}:ask+write")
    with serving(settings) as url:
        yield url


@pytest.fixture(scope="session")
def examples_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service over the repository's example library (examples/speeches): needs nothing outside the repo."""
    with serving(_ingested(EXAMPLES, tmp_path_factory.mktemp("e2e-examples"))) as url:
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
