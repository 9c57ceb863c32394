"""Research sweeps: designs, seeded replications, resumable Parquet, Dask scale-out, reports.

``negotiate.sweep(...)`` is documented in :func:`negotiate.sweep.api.sweep`.

Importing this package (any ``negotiate.sweep.*`` module) makes Python bind the attribute
``negotiate.sweep`` to this module, replacing the package-level function of the same name.
The module is therefore made callable, so ``negotiate.sweep(...)`` works either way.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .api import sweep

        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
