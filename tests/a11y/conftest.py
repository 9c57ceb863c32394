"""The accessibility suite's servers and pages, started by tests/browser/conftest.py's code.

That module is loaded here by path (both folders are plain test folders, not packages), so
the server start-up, the network watch and the ``server``/``browser``/``open_page`` fixtures
have one home. This suite adds the component probe and a classroom server.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROBE = HERE / "component_probe.py"
TEACHER_KEY = "a11y-teacher-key"


# The browser conftest imports its server helpers (tests/browser/servers.py) by name.
sys.path.insert(0, str(HERE.parent / "browser"))


def _load_browser_conftest():
    spec = importlib.util.spec_from_file_location("browser_conftest", HERE.parent / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


shared = _load_browser_conftest()
server = shared.server
browser = shared.browser
open_page = shared.open_page


@pytest.fixture(scope="session")
def probe_server(chromium) -> Iterator[str]:
    """component_probe.py: single Solara/Vuetify controls, each in its own ``#probe-…`` block."""
    yield from shared.serve([sys.executable, "-m", "solara", "run", str(PROBE), "--production",
                             "--no-open", "--no-check-version"])


@pytest.fixture(scope="session")
def teacher_key() -> str:
    return TEACHER_KEY


@pytest.fixture(scope="session")
def classroom_server(chromium, tmp_path_factory) -> Iterator[str]:
    """``negotiate classroom`` on a fresh database, with a known teacher key."""
    db = tmp_path_factory.mktemp("a11y-class") / "class.sqlite"
    yield from shared.serve([sys.executable, "-m", "negotiate.cli", "classroom", "--db", str(db)],
                            env={"NEGOTIATE_TEACHER_KEY": TEACHER_KEY})


@pytest.fixture
def open_url(browser):
    """``open_url(url, width=1280, height=800)`` -> a fresh watched page at any address."""
    contexts, watches = [], []

    def make(url: str, width: int = 1280, height: int = 800, **context_options):
        context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch = shared.NetworkWatch()
        watch.attach(page)
        watches.append(watch)
        page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()
    for watch in watches:
        watch.check()


@pytest.fixture
def a11y_page(open_url, server):
    """``a11y_page(path)`` -> a watched page of ``negotiate app``."""
    return lambda path="", **kw: open_url(server + path.lstrip("/"), **kw)


@pytest.fixture
def probe_page(open_url, probe_server):
    """The component probe, fully rendered (its last blocks are on the page)."""
    page = open_url(probe_server)
    page.wait_for_selector("#probe-button-colours-darker button")
    page.wait_for_selector("#probe-image img")
    page.wait_for_selector("#probe-figure-matplotlib img")
    return page
