"""Zero axe violations (WCAG 2.0/2.1 A and AA) on each page's first state (issue 14)."""

from __future__ import annotations

import re

import pytest
from axe_check import axe_violations

pytestmark = pytest.mark.browser


def test_explore_first_week_has_no_violations(a11y_page):
    page = a11y_page("/")
    page.wait_for_selector(".week-status[data-week='0']")
    page.locator(".charts img").first.wait_for()
    assert axe_violations(page) == []


def test_play_side_choice_has_no_violations(a11y_page):
    page = a11y_page("/play")
    page.get_by_role("button", name=re.compile(r"^Play as")).first.wait_for()
    assert axe_violations(page) == []
