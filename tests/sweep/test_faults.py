"""Sweeps under faults, with real processes: a second writer, damaged chunks, a folder that
turns read-only mid-run. Each fault gives one clear line, no traceback, and after recovery
the table of the uninterrupted sweep."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time

import pandas as pd
import pytest
from sweephelpers import LONG, SCENARIO, VENV_BIN, child_env, chunk_count, long_args

from negotiate.errors import NegotiateError
from negotiate.sweep.api import load_summary, run_sweep

NEGOTIATE = str(VENV_BIN / "negotiate")


def _sweep_command(out, *extra):
    return [NEGOTIATE, "sweep", SCENARIO, *long_args(), "--chunk-size", "10", "--out", str(out),
            "--quiet", *extra]


def _start(command, **kwargs):
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), start_new_session=True, **kwargs)


def _wait_for_chunks(out, count, proc, timeout=90.0):
    deadline = time.monotonic() + timeout
    while chunk_count(out) < count:
        assert proc.poll() is None, "the sweep ended before the fault"
        assert time.monotonic() < deadline, "the sweep wrote no chunks"
        time.sleep(0.02)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _one_clear_line(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("negotiate ")]
    assert any(all(n in line for n in needles) for line in lines), stderr


@contextlib.contextmanager
def _reaped(proc):
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def test_a_second_writer_is_refused_naming_the_first(tmp_path, long_reference):
    out = tmp_path / "sweep"
    with _reaped(_start(_sweep_command(out, "--workers", "1"))) as first:
        _wait_for_chunks(out, 1, first)
        # The first sweep is held still (its whole process group) while the others try: how
        # fast it would otherwise finish depends on the model's speed and the machine's load.
        # A stopped writer still holds its lock, as a slow one would.
        os.killpg(first.pid, signal.SIGSTOP)
        seconds = [_start(_sweep_command(out, "--workers", "1", *extra))
                   for extra in ([], ["--resume"])]
        report = _start([NEGOTIATE, "report", str(out), "--out", str(tmp_path / "rep")])
        for second in seconds:
            assert second.wait(timeout=60) == 2
            stderr = second.communicate()[1]
            assert stderr.count("\n") == 1, stderr
            _one_clear_line(stderr, "being written by another sweep", f"PID {first.pid}",
                            "wait for it to finish")
        # A reader is told the sweep is still being written, and sees only whole chunks.
        assert report.wait(timeout=120) == 0
        _one_clear_line(report.communicate()[1], "still being written", f"PID {first.pid}")
        assert first.poll() is None, "the first sweep ended before the others were checked"
        os.killpg(first.pid, signal.SIGCONT)
        assert first.wait(timeout=180) == 0
    table = load_summary(out)
    pd.testing.assert_frame_equal(table, long_reference, check_exact=True)


def test_two_fresh_sweeps_started_together_give_one_writer(tmp_path):
    out = tmp_path / "sweep"
    small = [NEGOTIATE, "sweep", SCENARIO, "--reps", "200", "--workers", "1", "--out", str(out),
             "--quiet"]
    procs = [_start(small) for _ in range(2)]
    results = [(p.wait(timeout=180), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    # Refused by the lock while the other writes, or (on a machine so loaded that the
    # second process starts after the first finished) by the finished sweep's manifest.
    assert "Traceback" not in loser and loser.count("\n") == 1, loser
    assert "being written by another sweep" in loser or "already holds a sweep" in loser, loser
    table = load_summary(out)
    assert list(table["run_id"]) == list(range(200))


def test_sigkill_mid_chunk_then_resume_recovers_a_torn_record(tmp_path, long_reference):
    out = tmp_path / "sweep"
    with _reaped(_start(_sweep_command(out, "--workers", "2"))) as proc:
        _wait_for_chunks(out, 4, proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    # What a kill between a chunk's rename and its record leaves: a torn last record line.
    journal = out / "chunks.jsonl"
    text = journal.read_text()
    journal.write_text(text[: text.rstrip("\n").rfind("\n") + 1] + '{"start": 1')
    resumed = subprocess.run(_sweep_command(out, "--workers", "2", "--resume"),
                             capture_output=True, text=True, env=child_env(), timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert "the last writer" in resumed.stderr and "stale" in resumed.stderr
    assert "Traceback" not in resumed.stderr
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)


def test_truncated_and_empty_chunks_are_quarantined_and_rerun(tmp_path, long_reference):
    out = tmp_path / "sweep"
    run_sweep(SCENARIO, out=out, workers=1, chunk_size=50, quiet=True, **LONG)
    truncated = out / "summary" / "runs-0000000100-0000000150.parquet"
    empty = out / "summary" / "runs-0000000300-0000000350.parquet"
    truncated.write_bytes(truncated.read_bytes()[:200])

    report = subprocess.run([NEGOTIATE, "report", str(out), "--out", str(tmp_path / "rep")],
                            capture_output=True, text=True, env=child_env(), timeout=120)
    assert report.returncode == 0, report.stderr
    _one_clear_line(report.stderr, str(truncated), "damaged", "quarantine", "runs 100 to 149")
    assert (out / "quarantine" / "summary" / truncated.name).exists()
    assert "550 runs" in (tmp_path / "rep" / "report.md").read_text()

    empty.write_bytes(b"")
    resumed = subprocess.run([NEGOTIATE, "sweep", SCENARIO, *long_args(), "--workers", "1",
                              "--out", str(out), "--quiet", "--resume"],
                             capture_output=True, text=True, env=child_env(), timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    _one_clear_line(resumed.stderr, str(empty), "file is empty", "will be run again")
    assert "Traceback" not in resumed.stderr
    assert "sweep started: 500/600 runs done" in resumed.stderr
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)


def test_a_chunk_whose_bytes_changed_is_caught_by_its_checksum(tmp_path, long_reference):
    out = tmp_path / "sweep"
    run_sweep(SCENARIO, out=out, workers=1, chunk_size=300, quiet=True, **LONG)
    first, second = sorted((out / "summary").glob("runs-*.parquet"))
    # A whole, readable Parquet file, but not the one the sweep wrote under that name.
    first.write_bytes(second.read_bytes())
    table = load_summary(out)  # a reader leaves it out and quarantines it
    assert list(table["run_id"]) == list(range(300, 600))
    run_sweep(SCENARIO, out=out, workers=1, quiet=True, resume=True, **LONG)
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)


def test_overlapping_run_ranges_are_refused_not_summed(tmp_path, capsys):
    out = tmp_path / "sweep"
    other = tmp_path / "other"
    run_sweep(SCENARIO, out=out, workers=1, chunk_size=300, quiet=True, **LONG)
    run_sweep(SCENARIO, out=other, workers=1, chunk_size=150, quiet=True, **LONG)
    # A whole, correct chunk of the same sweep, copied in by hand beside the 0-299 chunk.
    name = "runs-0000000000-0000000150.parquet"
    shutil.copy(other / "summary" / name, out / "summary" / name)
    with pytest.raises(NegotiateError, match="overlap.*runs 0 to 149 are in both"):
        load_summary(out)
    from negotiate.cli import main

    capsys.readouterr()
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "overlap" in err


def _can_drop_root_write_access(tmp_path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        result = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search,"
                                 "-fowner", "touch", str(probe / "x")], capture_output=True)
    except FileNotFoundError:
        return False
    finally:
        probe.chmod(0o755)
    return result.returncode != 0 and not (probe / "x").exists()


def test_a_folder_made_read_only_mid_run_is_one_line_then_resumes(tmp_path, long_reference):
    # The tests run as root, whom chmod does not stop; the sweep runs without the
    # capabilities that let root ignore file permissions, so chmod binds it like any user.
    if not _can_drop_root_write_access(tmp_path):
        pytest.skip("needs setpriv to drop CAP_DAC_OVERRIDE (or a non-root user)")
    jail = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    out = tmp_path / "sweep"
    summary = out / "summary"
    try:
        with _reaped(_start([*jail, *_sweep_command(out, "--workers", "2")])) as proc:
            _wait_for_chunks(out, 3, proc)
            summary.chmod(0o555)
            code = proc.wait(timeout=120)
            stderr = proc.stderr.read()
        assert code == 1, stderr
        _one_clear_line(stderr, str(summary), "permission denied")
        assert "sweep finished" not in stderr
        summary.chmod(0o755)
        resumed = subprocess.run([*jail, *_sweep_command(out, "--workers", "2", "--resume")],
                                 capture_output=True, text=True, env=child_env(), timeout=180)
        assert resumed.returncode == 0, resumed.stderr
    finally:
        if summary.exists():
            summary.chmod(0o755)
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KB tmpfs (root with mount rights only; skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs the right to mount a tmpfs (to fill a disk for real)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_one_line_then_resume_after_space_is_freed(small_disk, long_reference):
    out = small_disk / "sweep"
    full = subprocess.run([NEGOTIATE, "sweep", SCENARIO, *long_args(), "--workers", "1",
                           "--chunk-size", "10", "--out", str(out), "--quiet"],
                          capture_output=True, text=True, env=child_env(), timeout=180)
    assert full.returncode == 1, full.stderr
    _one_clear_line(full.stderr, str(out), "no space left", "--resume")
    assert "sweep finished" not in full.stderr
    assert 0 < chunk_count(out) < 60
    subprocess.run(["mount", "-o", "remount,size=50m", str(small_disk)], check=True)
    resumed = subprocess.run([NEGOTIATE, "sweep", SCENARIO, *long_args(), "--workers", "1",
                              "--chunk-size", "10", "--out", str(out), "--quiet", "--resume"],
                             capture_output=True, text=True, env=child_env(), timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)


def test_ctrl_c_is_one_line_without_sweep_finished_then_resume(tmp_path, long_reference):
    out = tmp_path / "sweep"
    # A terminal's Ctrl-C reaches a program whose SIGINT is at its default. A test run started
    # in the background of a shell script inherits SIGINT ignored, and so would the sweep.
    with _reaped(_start(_sweep_command(out, "--workers", "2"), preexec_fn=_default_sigint)) as proc:
        _wait_for_chunks(out, 3, proc)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
        code = proc.wait(timeout=120)
        stderr = proc.stderr.read()
    assert code == 130, stderr
    _one_clear_line(stderr, "interrupted")
    assert "sweep finished" not in stderr
    resumed = subprocess.run(_sweep_command(out, "--workers", "2", "--resume"),
                             capture_output=True, text=True, env=child_env(), timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(load_summary(out), long_reference, check_exact=True)
