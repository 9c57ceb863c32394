"""A fresh run of each golden scenario gives the checked-in tables exactly."""

from __future__ import annotations

import pytest

from .goldens import GOLDENS, HERE, golden_texts


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden_trajectory_unchanged(name: str) -> None:
    for filename, text in golden_texts(name).items():
        expected = (HERE / filename).read_text()
        if text != expected:
            got, want = text.splitlines(), expected.splitlines()
            first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                         min(len(got), len(want)))
            pytest.fail(f"{filename} differs from line {first + 1}:\n"
                        f"  want: {want[first] if first < len(want) else '<end>'}\n"
                        f"  got:  {got[first] if first < len(got) else '<end>'}")
