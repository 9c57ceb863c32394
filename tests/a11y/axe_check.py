"""Run axe-core (bundled in the axe-playwright-python wheel, so no network) on a page."""

from __future__ import annotations

import contextlib

from axe_playwright_python.base import AXE_SCRIPT

# WCAG 2.0 and 2.1, levels A and AA: what issue 14 asks for. Best-practice rules are left out.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# axe-core (572 kB) is evaluated once per document, not before every scan: a page keeps it
# until it navigates away.
HAS_AXE = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
RUN_AXE = "([context, options]) => window.axe.run(context || document, options)"


def axe_violations(page, within: str | None = None) -> list[str]:
    """One readable line per broken rule: id, impact, what it asks, the elements at fault.

    ``within``: a CSS selector to scan only that part of the page (page-level rules such as
    html-has-lang then do not apply).
    """
    # Solara's busy bar shows while the server renders: scan the settled page. Still there
    # after 10 s, the scan reports it if it breaks a rule.
    with contextlib.suppress(Exception):
        page.locator(".v-progress-linear").first.wait_for(state="hidden", timeout=10_000)
    context = {"include": [[within]]} if within else None
    if not page.evaluate(HAS_AXE):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(RUN_AXE, [context, OPTIONS])
    lines = []
    for rule in results["violations"]:
        targets = "; ".join(" >> ".join(map(str, node["target"])) for node in rule["nodes"])
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} "
                     f"[{len(rule['nodes'])} element(s): {targets}]")
    return lines
