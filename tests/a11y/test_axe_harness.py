"""The scan itself: it runs offline from the wheel's axe-core and reports what it finds."""

from __future__ import annotations

import pytest
from axe_check import axe_violations

pytestmark = pytest.mark.browser


def test_scan_finds_a_known_violation_without_any_request(chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.set_content('<!doctype html><html lang="en"><head><title>t</title></head>'
                         '<body><main><img src="data:image/png;base64,iVBORw0KGgo=" '
                         'class="chart"></main></body></html>')
        found = axe_violations(page)
    finally:
        context.close()
    assert len(found) == 1 and found[0].startswith("image-alt (critical)"), found
    assert found[0].endswith("[1 element(s): img]"), found
    assert requests == [], "axe-core must come from the wheel, not the network"


def test_scan_passes_a_clean_page(chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content('<!doctype html><html lang="en"><head><title>t</title>'
                         '<meta name="viewport" content="width=device-width, initial-scale=1">'
                         '</head><body><main><h1>Week 1</h1>'
                         '<img src="data:image/png;base64,iVBORw0KGgo=" alt="U.S. tariff 145%">'
                         '<button>End week 1</button></main></body></html>')
        assert axe_violations(page) == []
    finally:
        context.close()


def test_a_second_scan_of_the_same_page_sees_what_changed(chromium):
    """axe-core is loaded once per page: the next scan must still read the page as it is."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content('<!doctype html><html lang="en"><head><title>t</title></head>'
                         '<body><main><h1>Week 1</h1></main></body></html>')
        assert axe_violations(page) == []
        page.evaluate("""() => { const img = document.createElement('img');
            img.src = 'data:image/png;base64,iVBORw0KGgo='; document.querySelector('main').append(img); }""")
        found = axe_violations(page)
    finally:
        context.close()
    assert len(found) == 1 and found[0].startswith("image-alt (critical)"), found
