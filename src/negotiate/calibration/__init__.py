"""``negotiate calibrate``: the 2025 replay against the record, and the baseline's story.

Runs ``rare-earth-2025-replay`` (governments scripted from the dated calendar; firms, licence
queues, inventories, prices and mood endogenous) over N seeds and sets the model's bands
(median and 5-95 % over seeds) beside every observed number in the facts file that the model
has a counterpart for. It then runs the free-play baseline ``rare-earth-2025`` over the same
seeds and counts how often its event log tells 2025's story (escalation -> truce ->
accusations within weeks -> call or talks -> framework -> extension). It writes
``<out>/calibration.md`` and ``<out>/figures/calibration/*.png``.

One job per module: :mod:`.record` (the observed values, their dates and the cutoff),
:mod:`.runs` (one seed, week by week), :mod:`.measures` (what the runs say),
:mod:`.comparisons` (each comparison with its label), :mod:`.figures`, :mod:`.report`
(the markdown) and :mod:`.cli` (the command). Every number in the report is computed from
the runs; the only constants are the observed values in :mod:`.record`.
"""

from __future__ import annotations

from .cli import calibrate, calibrate_command, register

__all__ = ["calibrate", "calibrate_command", "register"]
