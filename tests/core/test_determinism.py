"""Same scenario, --set values and seed: identical tables, byte for byte, in separate processes."""

from __future__ import annotations

import hashlib

from .helpers import negotiate


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_two_processes_write_identical_tables(tmp_path):
    args = ["run", "rare-earth-2025", "--seed", "11", "--set", "noise.perception=0.12",
            "--set", "firms.count=60"]
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        proc = negotiate(*args, "--out", str(out), "--json")
        assert proc.returncode == 0, proc.stderr
    assert _digests(first) == _digests(second)
    assert len(_digests(first)) == 8  # four tables, Parquet and CSV


def test_a_different_seed_gives_different_tables(tmp_path):
    for seed in ("1", "2"):
        assert negotiate("run", "rare-earth-2025", "--seed", seed, "--weeks", "30",
                         "--out", str(tmp_path / seed)).returncode == 0
    a, b = (tmp_path / s / "model.csv" for s in ("1", "2"))
    assert a.read_bytes() != b.read_bytes()
