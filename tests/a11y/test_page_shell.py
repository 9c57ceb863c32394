"""The page shell every page is served in: a declared language and a zoomable viewport."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SHELL = """() => ({
    lang: document.documentElement.getAttribute('lang'),
    viewport: Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.content),
})"""


@pytest.mark.parametrize("path", ["/", "/play"])
def test_shell_declares_english_and_lets_readers_zoom(a11y_page, path):
    page = a11y_page(path)
    page.wait_for_load_state("load")
    shell = page.evaluate(SHELL)
    assert shell["lang"] == "en"
    assert shell["viewport"] == ["width=device-width, initial-scale=1"]
    # The app's own stylesheet and widgets still load from this server: the fixture fails the
    # test on any failed or outgoing request; this checks they rendered at all.
    page.locator(".v-application").first.wait_for()
