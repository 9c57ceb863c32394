"""What the Python API accepts, checked the way the command line checks it.

``TradeModel(...)``, ``run(...)`` and the command line all come through here for a seed and
a scenario given by name, so an API caller gets the same one-line
:class:`~negotiate.errors.ScenarioError` as a CLI user, labelled with the argument's name
(overrides are read by :func:`negotiate.scenario.overrides_dict`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .params import Range, parse_whole, shown

#: Seeds are stored in int64 columns (tables, sweep rows, the classroom's SQLite), so every
#: seed fits in one. The one bound on a seed, wherever it is typed or passed.
SEED = Range(0, 2**63 - 1, "", "random seed")
SEED_MAX = SEED.hi
SEED_RANGE = SEED.allowed(whole=True)


def parse_seed(text: Any, name: str = "seed") -> int:
    """A seed typed or sent from outside, exactly (raises BoundsError naming ``name`` and
    the text as typed)."""
    return parse_whole(name, text, SEED)


def check_seed(value: Any, source: str = "rng") -> int | None:
    """``value`` as a seed (None: fresh entropy), or one line saying what is allowed."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEED_MAX:
        raise ScenarioError(f"got {shown(value)}; allowed: {SEED_RANGE} (or None)", source=source)
    return int(value)


def scenario_arg(scenario: Any) -> Any:
    """A scenario object as given, or the scenario a name or path refers to (loaded)."""
    if isinstance(scenario, str | Path):
        from .scenario import load_scenario

        return load_scenario(scenario)
    return scenario
