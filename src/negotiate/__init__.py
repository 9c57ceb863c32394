"""negotiate: the 2025 U.S.-China rare-earth and tariff standoff as an agent-based game.

The public names below load on first use (PEP 562): ``negotiate --help``, ``--version`` or
a bad flag need none of the model's dependencies, and answer in a fraction of the second
that importing Mesa, pandas and numba takes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .branching import branch
    from .model import TradeModel
    from .runner import RunResult, run, summarise
    from .scenario import TradeScenario, available_scenarios, load_scenario

#: Each public name and the module that defines it.
_HOMES = {
    "TradeModel": "model",
    "RunResult": "runner",
    "branch": "branching",
    "run": "runner",
    "summarise": "runner",
    "TradeScenario": "scenario",
    "available_scenarios": "scenario",
    "load_scenario": "scenario",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'negotiate' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # found once; later reads are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def sweep(*args, **kwargs):
    """Run a parameter sweep (see :func:`negotiate.sweep.api.sweep`)."""
    from .sweep.api import sweep as _sweep

    return _sweep(*args, **kwargs)


__all__ = [
    "RunResult",
    "TradeModel",
    "TradeScenario",
    "__version__",
    "available_scenarios",
    "branch",
    "load_scenario",
    "run",
    "summarise",
    "sweep",
]
