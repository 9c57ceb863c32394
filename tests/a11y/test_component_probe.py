"""Which Solara/Vuetify controls break WCAG 2.1 AA, and which alternatives pass.

Each ``#probe-…`` block of component_probe.py is scanned on its own, so a rule is pinned
to one component. The broken ones are the app's today (docs/accessibility-notes.md); when
Solara or Vuetify fixes one, its test here fails and the note should change.
"""

from __future__ import annotations

import pytest
from axe_check import axe_violations
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

BROKEN = {  # component -> the one rule it breaks
    "v-select": "nested-interactive",       # solara.Select, solara.v.Select
    "image": "image-alt",                   # solara.Image, i.e. the charts
    "figure-matplotlib": "image-alt",       # solara.FigureMatplotlib: the same widget
    "details": "aria-allowed-attr",         # solara.Details (v-expansion-panel)
    "button-colours": "color-contrast",     # color="warning" / "error" / "success"
}
PASSING = ["v-autocomplete", "v-radio-group", "toggle-buttons", "slider-int", "slider-float",
           "input-float", "checkbox", "switch", "img-with-alt", "native-details",
           "button-colours-darker", "link-button", "link-text"]


def test_each_control_breaks_or_passes_as_recorded(probe_page):
    found = {name: axe_violations(probe_page, f"#probe-{name}")
             for name in [*BROKEN, *PASSING]}
    for name, rule in BROKEN.items():
        assert rule in [line.split(" ")[0] for line in found[name]], (name, found[name])
    assert {name: found[name] for name in PASSING if found[name]} == {}


def test_sliders_answer_arrow_home_end_keys_but_cannot_be_typed_into(probe_page):
    thumb = probe_page.get_by_role("slider", name="Turns")
    thumb.focus()
    for key, expected in (("ArrowRight", "4"), ("End", "10"), ("Home", "0"), ("7", "0")):
        thumb.press(key)
        probe_page.wait_for_function(
            "([el, v]) => el.getAttribute('aria-valuenow') === v", arg=[thumb.element_handle(), expected])
    # Its only text input is a hidden, read-only mirror: the typed alternative is InputFloat.
    mirror = probe_page.locator("#probe-slider-float input")
    assert mirror.evaluate("e => [e.readOnly, e.tabIndex]") == [True, -1]
    typed = probe_page.get_by_role("textbox", name="Share")
    shown = probe_page.locator(".probe-values", has_text="0.3 False")
    typed.fill("0.3")
    typed.press("Enter")
    try:
        shown.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        # Solara's own InputFloat sends the text and the Enter as two messages; under heavy
        # load the Enter can overtake the text (docs/accessibility-notes.md, which is why the
        # app's fields are TypedField). A person would press Enter again; so does the probe.
        typed.fill("0.3")
        typed.press("Enter")
        shown.wait_for()


def test_autocomplete_is_a_combobox_chosen_by_typing(probe_page):
    box = probe_page.locator("#probe-v-autocomplete input[type=text]")
    assert probe_page.locator("#probe-v-autocomplete [role=combobox]").count() == 1
    box.fill("Alw")
    box.press("ArrowDown")
    box.press("Enter")
    probe_page.locator(".probe-values", has_text="allc").wait_for()


def test_native_details_opens_with_enter_and_closes_with_space(probe_page):
    summary = probe_page.locator("#probe-native-details summary")
    details = probe_page.locator("#probe-native-details details")
    summary.press("Enter")
    assert details.evaluate("e => e.open") is True
    summary.press("Space")
    assert details.evaluate("e => e.open") is False
