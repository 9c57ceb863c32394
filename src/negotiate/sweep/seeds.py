"""Run seeds, spawned from one root seed by design point and replication.

A run's seed depends only on (root, point, rep), never on the order or the process that runs
it, which is what makes a sweep's table identical across backends, worker counts, chunk sizes
and resumes.
"""

from __future__ import annotations

import numpy as np

#: Seeds are stored in int64 Parquet columns, so keep them below 2**63.
_MASK = (1 << 63) - 1
#: Spawn key reserved for sampling the design (LHS); run keys are (point, rep) pairs, so a
#: one-element key can never collide with a run's stream.
DESIGN_KEY = (2**32 - 1,)


def run_seed(root: int, point: int, rep: int) -> int:
    """The seed of replication ``rep`` of design point ``point`` under ``root``."""
    state = np.random.SeedSequence(root, spawn_key=(point, rep)).generate_state(1, np.uint64)
    return int(state[0]) & _MASK


def design_rng(root: int) -> np.random.Generator:
    """The generator that samples a Latin-hypercube design for ``root``."""
    return np.random.default_rng(np.random.SeedSequence(root, spawn_key=DESIGN_KEY))


def split_run_id(run_id: int, reps: int) -> tuple[int, int]:
    """Run ids count replications fastest: ``run_id = point * reps + rep``."""
    return divmod(run_id, reps)
