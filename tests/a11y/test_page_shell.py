"""The page shell every page is served in: a declared language, a zoomable viewport and a
named busy bar."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SHELL = """() => ({
    lang: document.documentElement.getAttribute('lang'),
    viewport: Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.content),
    // Every progress bar on the page, with the name it carries (the shell's busy bar is one).
    bars: Array.from(document.querySelectorAll('[role=progressbar]'))
        .map(e => e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || ''),
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
    # The bar Solara shows while the server is busy is hidden until then, but axe checks it when
    # it shows (aria-progressbar-name): it must carry a name.
    shell = page.evaluate(SHELL)
    assert shell["bars"] == ["Working"]
    assert page.get_by_role("progressbar", name="Working", include_hidden=True).count() == 1


def test_classroom_is_served_in_the_same_shell(open_url, classroom_server):
    page = open_url(classroom_server)
    page.get_by_role("heading", name="Join your class's game").wait_for()
    shell = page.evaluate(SHELL)
    assert shell["lang"] == "en"
    assert shell["viewport"] == ["width=device-width, initial-scale=1"]
    assert shell["bars"] == ["Working"]


def test_the_served_html_is_titled_before_any_script_runs(server, classroom_server):
    # What a reader without scripts, a link preview or a tab still loading shows (WCAG 2.4.2);
    # each page sets its own title once it runs.
    import urllib.request

    for url, title in ((server, "negotiate"), (classroom_server, "negotiate classroom")):
        with urllib.request.urlopen(url, timeout=30) as response:
            html = response.read().decode()
        assert f"<title>{title}</title>" in html, html[:400]
