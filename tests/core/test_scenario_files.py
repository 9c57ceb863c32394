"""Scenario files: every built-in validates; bad files get one clear line, never a traceback."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiate.errors import ScenarioError
from negotiate.scenario import BY_KEY, available_scenarios, load_scenario

from .helpers import assert_one_line_error, negotiate


@pytest.mark.parametrize("name", sorted(available_scenarios()))
def test_builtin_scenarios_have_title_description_and_sources(name):
    s = load_scenario(name)
    assert s.title and len(s.description) > 80
    assert s.sources, f"{name} cites no sources"
    assert s.weeks >= 1


def test_classroom_short_is_one_class_period():
    assert 12 <= load_scenario("classroom-short").weeks <= 16


def test_counterfactual_inherits_baseline_and_changes_one_thing():
    base, monitored = load_scenario("rare-earth-2025"), load_scenario("london-monitoring")
    assert monitored.truce_monitoring and not base.truce_monitoring
    assert monitored.events == base.events
    no_geneva = load_scenario("no-geneva")
    assert len(no_geneva.events) == len(base.events) - 1
    assert not any(e.kind == "talks" and "Geneva" in e.label for e in no_geneva.events)


def write(tmp_path, text: str | bytes, name: str = "s.toml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


BAD_FILES = [
    ('weeks = "many"\n', ["weeks", "whole number"]),
    ("weeks = 0\n", ["weeks", "out of range"]),
    ("weeks = -3\n", ["weeks"]),
    ("weeks = 2.5\n", ["weeks", "whole number"]),
    ("colour = 1\n", ["colour", "unknown key"]),
    ("[us]\nstrategy = \"tit-for-two-tats\"\n", ["us.strategy", "unknown strategy"]),
    ("[us]\nfavourite = 3\n", ["us.favourite", "allowed"]),
    ("[noise]\nperception = nan\n", ["noise.perception"]),
    ("[noise]\nperception = inf\n", ["noise.perception"]),
    ("[noise]\nexecution = 2\n", ["noise.execution", "0.5"]),
    ("[cn]\ncontrols = \"yes\"\n", ["cn.controls", "true or false"]),
    ("[cn]\ncontrolled_elements = [\"Xx\"]\n", ["cn.controlled_elements", "Dy"]),
    ("us = 3\n", ["us", "table"]),
    ("[[events]]\ndate = \"2025-02-30\"\nkind = \"note\"\n", ["events.date"]),
    ("[[events]]\ndate = \"2025-02-03\"\nkind = \"party\"\n", ["kind", "tariff"]),
    ("[[events]]\ndate = \"2025-02-03\"\nkind = \"tariff\"\nside = \"eu\"\nheadline = 5\n", ["events.side"]),
    ("[[events]]\ndate = \"2025-02-03\"\nkind = \"tariff\"\nside = \"us\"\nheadline = 500\n", ["events.headline", "200"]),
    ("[[events]]\ndate = \"2025-02-03\"\nkind = \"tariff\"\nside = \"us\"\n", ["headline", "change"]),
    ("[[events]]\ndate = \"2020-01-01\"\nkind = \"note\"\n", ["before start_date"]),
    ("[outcome]\nhold_threshold = 0.3\nfriction_threshold = 0.5\n", ["friction_threshold"]),
    ("mode = \"classic\"\n[payoffs]\nreward = 9\n", ["payoffs", "T > R > P > S"]),
    ("extends = \"nowhere\"\n", ["extends", "not a scenario"]),
    ("remove_events = [\"x\"]\n", ["remove_events", "extends"]),
    ("title = = 3\n", ["not valid TOML"]),
]


@pytest.fixture(scope="module")
def check_lines(tmp_path_factory) -> list[list[str]]:
    """Every bad file through the real command line in one process (``scenarios --check``
    takes many files): the lines it printed about each, in BAD_FILES order."""
    folder = tmp_path_factory.mktemp("bad-files")
    paths = [write(folder, text, f"bad{i}.toml") for i, (text, _) in enumerate(BAD_FILES)]
    proc = negotiate("scenarios", "--check", *map(str, paths))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    return [[line for line in lines if f"{path}:" in line] for path in paths]


@pytest.mark.parametrize("case", range(len(BAD_FILES)), ids=[text for text, _ in BAD_FILES])
def test_bad_files_name_file_key_and_allowed(tmp_path, check_lines, case):
    text, needles = BAD_FILES[case]
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, (needle, message)
    # ... and the command line says the same of that file, in one line.
    [line] = check_lines[case]
    for needle in needles:
        assert needle in line, (needle, line)


def test_run_on_a_bad_file_is_one_line_with_exit_2(tmp_path):
    path = write(tmp_path, BAD_FILES[0][0])
    assert_one_line_error(negotiate("run", str(path)), str(path), *BAD_FILES[0][1])


def test_not_utf8_missing_and_directory(tmp_path):
    bad = write(tmp_path, b"title = \"\xff\xfe\"\n")
    assert_one_line_error(negotiate("run", str(bad)), "not UTF-8")
    assert_one_line_error(negotiate("run", str(tmp_path / "missing.toml")), "does not exist")
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert_one_line_error(negotiate("run", str(folder)), "directory")


def test_extends_cycle_is_refused(tmp_path):
    write(tmp_path, 'extends = "b.toml"\n', "a.toml")
    write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_an_edited_file_or_parent_is_read_again(tmp_path):
    # Loads keep validated values for unchanged bytes; an edit of the same length, made at
    # once (the same modification time on coarse clocks), must still be seen.
    write(tmp_path, "weeks = 20\n", "parent.toml")
    child = write(tmp_path, 'extends = "parent.toml"\n[us]\nstrategy = "tft"\n', "child.toml")
    assert (load_scenario(child).weeks, load_scenario(child).us_strategy) == (20, "tft")
    write(tmp_path, "weeks = 30\n", "parent.toml")
    assert load_scenario(child).weeks == 30
    write(tmp_path, 'extends = "parent.toml"\n[us]\nstrategy = "gtft"\n', "child.toml")
    assert load_scenario(child).us_strategy == "gtft"
    first = load_scenario(child, {"weeks": 5})
    assert first.weeks == 5 and load_scenario(child).weeks == 30  # overrides are not kept
    (tmp_path / "parent.toml").unlink()
    with pytest.raises(ScenarioError, match="parent.toml"):
        load_scenario(child)


# -- fuzzing: random files of random keys and values never crash the loader ---------------------
_keys = st.sampled_from(sorted(k for k in BY_KEY if k != "events") + ["bogus", "us.bogus", "noise"])
_values = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=12), st.lists(st.text(max_size=4), max_size=3),
)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.dictionaries(_keys, _values, max_size=5))
def test_fuzzed_files_validate_or_fail_cleanly(tmp_path, entries):
    top, sections = [], {}
    for key, value in entries.items():
        head, _, tail = key.partition(".")
        if tail:
            sections.setdefault(head, []).append(f"{tail} = {_toml_value(value)}")
        elif key not in sections:
            top.append(f"{key} = {_toml_value(value)}")
    text = "\n".join(top) + "\n" + "".join(
        f"[{head}]\n" + "\n".join(lines) + "\n" for head, lines in sections.items() if head not in entries)
    path = write(tmp_path, text, "fuzz.toml")
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
    else:
        assert scenario.weeks >= 1


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_fuzzed_bytes_never_crash(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "b.toml"
    path.write_bytes(data)
    try:
        load_scenario(path)
    except ScenarioError as exc:
        assert "\n" not in str(exc)


def test_scenario_reference_is_up_to_date():
    from negotiate.reference import render

    from .helpers import ROOT

    committed = (ROOT / "docs" / "scenario-reference.md").read_text()
    assert committed == render(), "run: python -m negotiate.reference > docs/scenario-reference.md"


# -- pathological files: sizes and shapes that once escaped as tracebacks ------------------------
_BIG = "1" + "0" * 400      # an int that has no float
_HUGE = "1" + "0" * 5000    # an int Python will not read from text (over 4,300 digits)
_DEEP = "[" * 3000 + "]" * 3000
_EVENT = '[[events]]\ndate = "2025-02-03"\n'

PATHOLOGICAL_FILES = [
    (f"[us]\ntrust = {_BIG}\n", ["us.trust", "10000000000000000000... (401 digits)", "out of range",
                                 "0 to 1"]),
    (f"weeks = 2\n{_EVENT}kind = \"tariff\"\nside = \"us\"\nheadline = {_BIG}\n",
     ["events.headline", "(401 digits)", "0 to 200"]),
    (f"weeks = {_HUGE}\n", ["more than 4,300 digits", "line 1", "allowed"]),
    (f"sources = {_DEEP}\n", ["nests arrays or tables too deeply", "allowed"]),
    (f"weeks = 2\n{_EVENT}kind = [\"tariff\"]\n", ["events.kind", "['tariff'] is unknown", "tariff, "]),
    ('weeks = 3\nstart_date = "9999-12-27"\n',
     ["start_date", "after 9999-12-31", "at most 1 week", "no later than 9999-12-17"]),
]


@pytest.mark.parametrize("text, needles", PATHOLOGICAL_FILES,
                         ids=["big_key", "big_event", "huge_weeks", "deep_array", "list_kind",
                              "past_9999"])
def test_pathological_files_get_one_line(tmp_path, text, needles):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message and len(message) < 400, message
    for needle in needles:
        assert needle in message, (needle, message)


def test_every_week_up_to_the_last_date_there_is_may_be_run(tmp_path):
    s = load_scenario(write(tmp_path, 'weeks = 3\nstart_date = "9999-12-17"\n'))
    assert (s.start_date, s.weeks) == ("9999-12-17", 3)
    with pytest.raises(ScenarioError, match="start_date.*at most 416,"):
        load_scenario("classroom-short", {"weeks": 1_000_000, "collect.firms": False})


def test_a_toml_date_is_a_start_date(tmp_path):
    # TOML reads an unquoted 2025-03-03 as a date; it means the same day as the quoted text.
    assert load_scenario(write(tmp_path, "start_date = 2025-03-03\n")).start_date == "2025-03-03"
    assert load_scenario("classroom-short", ["start_date=2025-03-03"]).start_date == "2025-03-03"
    with pytest.raises(ScenarioError, match=r"got a date and time 2025-03-03T10:00:00; allowed: a date"):
        load_scenario("classroom-short", ["start_date=2025-03-03T10:00:00"])


def test_a_utf8_byte_order_mark_is_read_past(tmp_path):
    path = write(tmp_path, b'\xef\xbb\xbfweeks = 2\ntitle = "Saved by Notepad"\n')
    assert (load_scenario(path).weeks, load_scenario(path).title) == (2, "Saved by Notepad")
