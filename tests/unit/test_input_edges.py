"""Bad input at the edges -- enormous numbers, deep nesting, stray lines, odd signs -- gets
one line naming what was typed and what is allowed, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from negotiate.cli import main
from negotiate.errors import ScenarioError
from negotiate.inputs import check_seed
from negotiate.params import BoundsError, Range, parse_number
from negotiate.scenario import load_scenario, parse_set

SEED_RANGE = "a whole number from 0 to 9223372036854775807"


def cli(*args: str) -> tuple[int, str, str]:
    """The command line's ``main`` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code
    return code, out.getvalue(), err.getvalue()


def one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


# ------------------------------------------------------------------ --set
@pytest.mark.parametrize("assignment, needles", [
    ("us.trust=1" + "0" * 400, ["us.trust", "(401 digits)", "out of range", "0 to 1"]),
    ("us.trust=1" + "0" * 5000, ["us.trust", "more than 4,300 digits", "0 to 1"]),
    ("us.trust=" + "[" * 3000 + "]" * 3000, ["us.trust", "nested too deeply", "0 to 1"]),
    ("sources=" + "[" * 3000 + "]" * 3000, ["sources", "nested too deeply"]),
    ("events=[]", ["events", "[[events]] tables in a scenario file"]),
    ("us.trust=0.3\nus.trust=5", ["us.trust", "more than one line", "0 to 1"]),
    ("us.trust=0.3\r\n", ["us.trust", "more than one line"]),
], ids=["digits400", "digits5000", "deep_number", "deep_sources", "events", "two_lines", "CR"])
def test_bad_set_values_are_one_line(assignment, needles):
    with pytest.raises(ScenarioError) as info:
        load_scenario("classroom-short", [assignment])
    message = str(info.value)
    assert "\n" not in message and len(message) < 300 and "unknown key" not in message, message
    for needle in needles:
        assert needle in message, (needle, message)


def test_a_key_given_twice_in_set_is_refused_by_name():
    with pytest.raises(ScenarioError, match="--set: us.trust: is given twice; allowed: each key once"):
        parse_set(["us.trust=0.3", "noise.perception=0.1", "us.trust=0.9"])
    assert parse_set(["us.trust=0.3 # a TOML comment", "title=two words"]) == {
        "us.trust": 0.3, "title": "two words"}


def test_numbers_without_a_float_are_compared_exactly():
    with pytest.raises(BoundsError, match=r"^headline 10000000000000000000\.\.\. \(401 digits\) is out"):
        parse_number("headline", 10**400, Range(0, 200))
    from negotiate.params import shown

    assert shown(-(10**5000)) == "-10000000000000000000... (5,001 digits)"  # str() would refuse


# ------------------------------------------------------------------ seeds
@pytest.mark.parametrize("typed, said", [
    ("+-5", "'+-5' is not a number"), ("++5", "'++5' is not a number"),
    ("1e309", "1e309 is out of range"), ("1" + "0" * 5000, "10000000000000000000... (5,001 characters)"),
    ("9223372036854775808", "9223372036854775808 is out of range"),
], ids=["plus_minus", "plus_plus", "e309", "digits5000", "over_max"])
@pytest.mark.parametrize("command", ["run", "tournament"])
def test_a_bad_seed_names_what_was_typed_and_the_range(command, typed, said):
    args = ["run", "classroom-short"] if command == "run" else ["tournament"]
    code, _, err = cli(*args, f"--seed={typed}")
    one_line(code, err, "--seed", said, SEED_RANGE)


def test_a_seed_passed_to_the_api_is_named_at_any_size():
    with pytest.raises(ScenarioError, match=rf"seed: got 10000000000000000000\.\.\. \(5,001 digits\); "
                                            rf"allowed: {SEED_RANGE}"):
        check_seed(10**5000, "seed")


def test_tournament_flags_are_one_line_and_its_seed_is_exact():
    one_line(*cli("tournament", "--reps=++2")[::2], "--reps", "'++2'", "from 1 to 100000")
    code, out, err = cli("tournament", "--strategies", "tft,alld", "--rounds", "2", "--reps", "1",
                         "--seed", "9223372036854775807", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["seed"], doc["reps"], doc["rounds"]) == (2**63 - 1, 1, 2)


@pytest.mark.parametrize("text", ["1_0", "0.1_5", "٣", "１", "0.\u0663"])
def test_numbers_are_written_with_ascii_digits_and_no_underscores(text):
    # float() reads all of these; a person typing them did not mean that number.
    from negotiate.inputs import parse_seed

    with pytest.raises(BoundsError, match="is not a number"):
        parse_number("Headline tariff", text, Range(0, 1000, "%"))
    with pytest.raises(BoundsError, match="not a number"):
        parse_seed(text)
    assert parse_number("Headline tariff", " 10.5 ", Range(0, 1000, "%")) == 10.5
