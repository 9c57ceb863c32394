"""The Dask settings a sweep runs with: the LocalCluster's workers really get them, the
caller's own Dask config comes back afterwards, and the environment-variable form that the
researcher guide gives for existing clusters means the same settings to Dask."""

from __future__ import annotations

import copy

import dask.config

# Loaded before the test's own dask.config.set: leaving that block removes whatever was
# absent when it began, so distributed's defaults (first loaded on import) would go with it
# and a later LocalCluster in this worker would find no 'distributed.comm'.
import distributed  # noqa: F401

from negotiate.sweep.backends import QUIET_DASK, DaskBackend, quiet_dask_env


def _worker_settings(dask_worker) -> tuple[list[str], str]:
    import dask.config as worker_config

    return sorted(dask_worker.periodic_callbacks), worker_config.get("distributed.admin.tick.interval")


def test_environment_form_means_the_same_settings_to_dask():
    parsed = dask.config.update(copy.deepcopy(dask.config.config),
                                dask.config.collect_env(quiet_dask_env()))
    for key, value in QUIET_DASK.items():
        assert dask.config.get(key, config=parsed) == value, key


def test_local_cluster_workers_run_quiet_and_the_callers_config_is_restored():
    with dask.config.set({"distributed.admin.tick.interval": "7ms"}):
        backend = DaskBackend(2, None, print)
        try:
            settings = backend.client.run(_worker_settings)
            assert dask.config.get("distributed.worker.profile.enabled") is False
        finally:
            backend.close()
        assert len(settings) == 2
        for callbacks, tick in settings.values():
            assert "profile" not in callbacks and "heartbeat" in callbacks
            assert tick == QUIET_DASK["distributed.admin.tick.interval"]
        assert dask.config.get("distributed.admin.tick.interval") == "7ms"
        assert dask.config.get("distributed.worker.profile.enabled") is True
