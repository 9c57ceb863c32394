"""negotiate: the 2025 U.S.-China rare-earth and tariff standoff as an agent-based game."""

from .model import TradeModel
from .runner import RunResult, __version__, branch, run, summarise
from .scenario import TradeScenario, available_scenarios, load_scenario


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
