"""`pip install .` gives a working `negotiate`, with the scenarios inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .helpers import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, timeout=300)
    wheel = next(dist.glob("negotiate-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("negotiate/scenarios/rare-earth-2025.toml", "negotiate/scenarios/classic-ipd.toml",
                   "negotiate/app/__init__.py", "negotiate/model.py"):
        assert needed in names, needed

    venv = tmp_path / "venv"
    # Without a pip of its own (ensurepip alone takes seconds): this pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The dependencies come from this environment (no network install in a test); the
    # project itself comes only from the wheel.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "-q", str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run([str(python), "-c", "import negotiate; print(negotiate.__file__)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, check=True)
    assert str(venv) in where.stdout and str(ROOT) not in where.stdout
    proc = subprocess.run([str(venv / "bin" / "negotiate"), "run", "rare-earth-2025", "--seed", "1",
                           "--json"], capture_output=True, text=True, cwd=elsewhere, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["scenario"] == "rare-earth-2025"
