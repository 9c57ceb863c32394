"""Moving through a page with the keyboard alone, checking what a keyboard user relies on.

Each Tab must land on the next control in the page's order, with a visible focus ring.
"""

from __future__ import annotations

# Where focus is now, and whether it came after the previous stop in document order (a
# stop that was removed by a redraw, or the page itself, starts the order afresh; from the
# last control Tab wraps round to the first).
FOCUS_STEP = """() => {
  const now = document.activeElement;
  const prev = window.__a11yLastFocus;
  window.__a11yLastFocus = now;
  const describe = e => e ? (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
                              || e.innerText || e.id || e.tagName) : '';
  const fresh = !prev || !document.contains(prev) || prev === document.body || now === document.body;
  // Past the last control, Tab wraps round to the first one.
  const first = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .find(e => e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden' && e.getClientRects().length);
  return {
    forward: fresh || now === first
             || Boolean(prev.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING),
    ring: getComputedStyle(now).outlineStyle,
    what: describe(now),
    before: describe(prev),
  };
}"""


def tab_to(page, locator, limit: int = 150) -> None:
    """Press Tab until ``locator`` has focus: each stop follows the last one in the page, and
    the control reached shows its focus ring."""
    page.evaluate("() => { window.__a11yLastFocus = document.activeElement; }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        step = page.evaluate(FOCUS_STEP)
        assert step["forward"], f"Tab went back up the page, from {step['before']!r} to {step['what']!r}"
        if locator.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
            assert step["ring"] != "none", f"focus on {step['what']!r} is not visible"
            return
    raise AssertionError(f"Tab never reached {locator}")


def unnamed_comboboxes(page) -> list[str]:
    """The labels of the page's choice fields that ``get_by_role("combobox", name=label)``
    does not find (every one of them should be found by its visible label)."""
    # A field inside a closed section is hidden, and out of the accessibility tree too.
    labels = [label.inner_text() for label in page.locator(".v-autocomplete label").all()
              if label.is_visible()]
    missing = [label for label in labels
               if page.get_by_role("combobox", name=label.strip(), exact=True).count() == 0]
    if page.get_by_role("combobox").count() != len(labels):
        missing.append(f"{page.get_by_role('combobox').count()} comboboxes for {len(labels)} labels")
    return missing
