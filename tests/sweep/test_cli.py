"""`negotiate sweep` / `negotiate report` from the command line, and progress output."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import time

from sweephelpers import SCENARIO, VENV_BIN, child_env

from negotiate.cli import main
from negotiate.sweep.progress import Progress

SMALL = ["--grid", "noise.perception=0.02,0.2", "--reps", "3", "--weeks", "3"]


def test_registering_the_commands_imports_nothing_heavy():
    code = ("import sys; from negotiate.cli import build_parser; build_parser(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'dask', 'distributed', 'matplotlib', 'SALib'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=child_env(), check=True)
    assert result.stdout.strip() == "[]"


def test_bad_flags_are_one_line_on_stderr_with_exit_2(tmp_path, capsys):
    for argv, words in (
        (["--grid", "noise.perception=0.1,0.9"], ["out of range"]),
        (["--lhs", "us.strategy=0:1", "--samples", "4"], ["not numeric"]),
        (["--sobol", "noise.perception=0:0.2"], ["--samples", "required"]),
        (["--backend", "ray"], ["invalid choice"]),
        (["--reps", "zero"], ["--reps", "not a whole number"]),
    ):
        try:
            code = main(["sweep", SCENARIO, *argv, "--out", str(tmp_path / "x")])
        except SystemExit as exit_:  # argparse's own checks exit directly
            code = exit_.code
        err = capsys.readouterr().err
        assert code == 2
        assert err.count("\n") == 1, err
        for word in words:
            assert word in err


def test_sweep_then_report_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", SCENARIO, *SMALL, "--workers", "1", "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "6 runs (0 failed)" in captured.out and "negotiate report" in captured.out
    assert "sweep finished: 6/6 runs done, failed 0, remaining 0" in captured.err
    assert "--grid noise.perception=0.02,0.2" in (out / "manifest.json").read_text()

    assert main(["report", str(out), "--out", str(tmp_path / "rep")]) == 0
    text = (tmp_path / "rep" / "report.md").read_text()
    assert text.startswith("# Sweep report: classroom-short\n\nThis sweep ran 6 runs")
    assert (tmp_path / "rep" / "figures" / "outcomes_by_noise_perception.png").stat().st_size > 0

    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_folder_names_in_progress_lines_are_shown_as_text(tmp_path, capsys):
    """A folder named with an escape sequence, a bidirectional override and a newline is
    named in escapes on every line, so it cannot recolour the terminal or forge a line."""
    name = "sweep\x1b[31m\u202eevil\nnegotiate sweep: forged"
    shown = "sweep\\x1b[31m\\u202eevil\\nnegotiate sweep: forged"
    out = tmp_path / name
    assert main(["sweep", SCENARIO, *SMALL, "--workers", "1", "--chunk-size", "3", "--out", str(out),
                 "--quiet"]) == 0
    said = capsys.readouterr()
    first, second = sorted((out / "summary").glob("runs-*.parquet"))
    first.write_bytes(first.read_bytes()[:200])
    assert main(["report", str(out), "--out", str(tmp_path / "rep")]) == 0
    reported = capsys.readouterr()
    second.write_bytes(b"")
    assert main(["sweep", SCENARIO, *SMALL, "--workers", "1", "--chunk-size", "3", "--out", str(out),
                 "--quiet", "--resume"]) == 0
    resumed = capsys.readouterr()
    damaged = [line for line in (reported.err + resumed.err).splitlines() if "is damaged" in line]
    assert [line.split(": ")[0] for line in damaged] == ["negotiate report", "negotiate sweep"], damaged
    assert all(shown in line for line in damaged), damaged
    for text in (said.out, said.err, reported.out, reported.err, resumed.out, resumed.err):
        assert "\x1b" not in text and "\u202e" not in text and "evil\n" not in text, text


def _run_in_terminal(argv: list[str]) -> str:
    """Run a command with stdout and stderr on a pseudo-terminal; return what it printed."""
    leader, follower = pty.openpty()
    # A real terminal has a size; a fresh pty reports 0 x 0.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(argv, stdout=follower, stderr=follower, env=child_env())
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode(errors="replace")


def test_a_terminal_gets_a_bar_and_quiet_or_pipes_get_plain_lines(tmp_path):
    base = [str(VENV_BIN / "negotiate"), "sweep", SCENARIO, *SMALL, "--workers", "1"]
    bar = _run_in_terminal([*base, "--out", str(tmp_path / "a")])
    assert "\r" in bar and "6/6 done" in bar and "failed 0, remaining 0" in bar
    assert "sweep started" not in bar

    quiet = _run_in_terminal([*base, "--out", str(tmp_path / "b"), "--quiet"])
    assert "sweep started: 0/6 runs done, failed 0, remaining 6" in quiet
    assert "6/6 done" not in quiet

    piped = subprocess.run([*base, "--out", str(tmp_path / "c")], capture_output=True, text=True,
                           env=child_env())
    assert "sweep started: 0/6 runs done" in piped.stderr and "\r" not in piped.stderr


def test_plain_lines_show_done_failed_remaining_and_eta():
    stream = io.StringIO()
    progress = Progress(100, done=20, quiet=True, stream=stream, interval=0)
    time.sleep(0.01)
    progress.update(30, failed=2)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "sweep started: 20/100 runs done, failed 0, remaining 80"
    assert lines[1].startswith("sweep progress: 50/100 runs done, failed 2, remaining 50, ETA 0:00:")
    assert lines[2].startswith("sweep finished: 50/100 runs done, failed 2, remaining 50 in ")
