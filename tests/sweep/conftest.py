"""Session fixtures for the sweep tests."""

from __future__ import annotations

import pytest
from sweephelpers import LONG, SCENARIO

from negotiate.sweep.api import load_summary, run_sweep


@pytest.fixture(scope="session")
def long_reference(tmp_path_factory):
    """The LONG sweep run uninterrupted in this process: what every other path must match."""
    out = tmp_path_factory.mktemp("long-reference")
    run_sweep(SCENARIO, out=out, workers=1, quiet=True, **LONG)
    return load_summary(out)
