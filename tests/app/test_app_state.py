"""The app without a browser: parsing, sessions, private information, launch."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from negotiate.app import state as st
from negotiate.errors import MoveError, NegotiateError, ScenarioError

APP_DIR = Path(st.__file__).parent


@pytest.mark.parametrize("text", ["-5", "10000", "", "abc", "nan", "inf"])
def test_bad_setting_is_rejected_with_the_allowed_range(text):
    with pytest.raises(ScenarioError) as err:
        st.parse_setting("noise.perception", text)
    assert "0 to 0.5" in st.message(err.value)


def test_good_settings_parse():
    assert st.parse_setting("noise.perception", " 0.1 ") == 0.1
    assert st.parse_setting("truce.weeks", "26") == 26
    with pytest.raises(ScenarioError):
        st.parse_setting("truce.weeks", "2.5")


@pytest.mark.parametrize("text", ["", "x", "-1", "1.5", "4,2", str(2**63), "1e30"])
def test_bad_seed(text):
    with pytest.raises(ScenarioError, match="allowed: a whole number from 0 to 9223372036854775807"):
        st.parse_seed(text)


def test_the_app_takes_every_seed_the_command_line_takes_exactly():
    # 2**63 - 1 has no exact float: read through one, it would come back as 2**63.
    assert st.parse_seed(" 9223372036854775807 ") == 2**63 - 1
    assert st.parse_seed(str(2**40)) == 2**40
    assert st.parse_seed("0") == 0


def test_branch_overlays_from_the_fork_week():
    run = st.ExploreRun()
    for _ in range(6):
        run.step()
    run.make_branch({"noise.perception": 0.4})
    for _ in range(6):
        run.step()
    assert run.model.week == run.branch_model.week == 12
    main = run.model.datacollector.model_vars["detente_index"]
    twin = run.branch_model.datacollector.model_vars["detente_index"]
    assert main[:6] == twin[:6], "same seed, same path up to the fork"
    assert run.branch_label == "noise.perception = 0.4"


def test_forced_move_branch_keeps_both_runs_level():
    run = st.ExploreRun()
    for _ in range(3):
        run.step()
    run.make_branch({}, ("us", "escalate"))
    assert run.model.week == run.branch_model.week == 4
    assert run.branch_model.us.strategy.name == run.model.us.strategy.name


@pytest.mark.parametrize("automaton", ["grim", "tft", "wsls"])
def test_a_forced_move_the_strategy_would_have_played_changes_nothing(automaton):
    """The forced side's strategy keeps its memory: forcing the very move it would play
    leaves the branch equal to its parent (a fresh strategy used to forgive at once)."""
    settings = {"us.strategy": "alld", "cn.strategy": automaton,
                "noise.execution": 0, "noise.perception": 0}
    run = st.ExploreRun("classic-ipd", settings, 1)
    for _ in range(3):
        run.step()
    would = "comply" if run.model.cn.strategy.decide(run.model.cn.perception(), run.model.rng) \
        .complies else "retaliate"
    run = st.ExploreRun("classic-ipd", settings, 1)  # the draw above used the model's stream
    for _ in range(3):
        run.step()
    run.make_branch({}, ("cn", would))
    for _ in range(4):
        run.step()
    main, twin = run.model.model_table(), run.branch_model.model_table()
    assert twin["cn_complied"].tolist() == main["cn_complied"].tolist()
    assert twin["us_complied"].tolist() == main["us_complied"].tolist()
    texts = run.branch_model.event_table()["details"].tolist()
    assert not [t for t in texts if "set to human" in t]


def test_a_hawkishness_branch_for_a_strategy_without_one_is_refused():
    run = st.ExploreRun("rare-earth-2025", {"us.strategy": "tft"}, 1)
    run.step()
    with pytest.raises(NegotiateError, match="pragmatic strategy only"):
        run.make_branch({"us.hawkishness": 1.0})
    run = st.ExploreRun("rare-earth-2025", {}, 1)
    run.step()
    run.make_branch({"us.hawkishness": 1.0})
    assert run.branch_model.us.strategy.hawkishness == 1.0


def test_a_branch_at_the_last_week_is_refused_in_words():
    run = st.ExploreRun("classroom-short", {}, 1)
    while run.model.running:
        run.step()
    with pytest.raises(ScenarioError, match="last week, so a branch would have no week"):
        run.make_branch({"noise.perception": 0.4})
    assert run.branch_model is None


def test_untouched_fields_do_not_move_instruments():
    game = st.PlayGame(side="us", weeks=12)
    defaults = game.form_defaults()
    move = st.parse_move_form("us", dict(defaults), defaults)
    assert move.tariff_headline is None and move.tech_curbs is None
    move = st.parse_move_form("us", dict(defaults, tariff_headline="30"), defaults)
    assert move.tariff_headline == 30.0
    with pytest.raises(MoveError, match="empty"):
        st.parse_move_form("us", dict(defaults, tariff_headline=""), defaults)
    with pytest.raises(MoveError, match="out of range"):
        st.parse_move_form("us", dict(defaults, tariff_headline="10000"), defaults)


def test_play_evidence_is_perception_only():
    game = st.PlayGame(side="cn", weeks=12)
    for _ in range(4):
        game.play_week(st.parse_move_form("cn", game.form_defaults(), game.form_defaults()))
    evidence = game.evidence()
    assert set(evidence) == {"seen_last_week", "perceived_breaches_recent", "recent_weeks", "trust",
                             "my_complied"}
    assert evidence["seen_last_week"] == game.model.cn.seen_other


def test_charts_hide_the_other_sides_trust_until_revealed():
    from negotiate.app.charts import ChartData, ChartSet

    game = st.PlayGame(side="us", weeks=12)
    for _ in range(3):
        game.play_week(st.parse_move_form("us", game.form_defaults(), game.form_defaults()))
    s = game.model.scenario
    charts = ChartSet(classic=False, weeks=s.weeks, start=s.start, hold=0.6, friction=0.4,
                      reveal=False, player="us")
    charts.update(ChartData.of(game.model))
    trust = charts.charts["trust"].artists
    assert len(trust["us_trust"].get_xdata()) == 3
    assert len(trust["cn_trust"].get_xdata()) == 0
    charts.set_reveal(True)
    charts.update(ChartData.of(game.model))
    assert len(trust["cn_trust"].get_xdata()) == 3
    assert all(img[:2] == b"\xff\xd8" for img in charts.images().values())


def test_theory_values_for_classic_automata():
    from negotiate import load_scenario

    sc = load_scenario("rare-earth-2025", {"mode": "classic", "us.strategy": "tft", "cn.strategy": "tft",
                                           "noise.execution": 0.05, "noise.perception": 0.0})
    values = st.theory_values(sc)
    assert values is not None and values["us"] == pytest.approx(2.25)
    assert st.theory_values(load_scenario("rare-earth-2025")) is None


def test_explore_page_steps_in_process():
    import ipyvuetify as v
    import solara

    from negotiate.app import explore

    _, rc = solara.render(explore.Page(), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    status = rc.find(solara.widgets.HTML, tag="span").widgets
    assert any('Week 1 of' in (w.unsafe_innerHTML or "") for w in status)


def test_no_console_or_code_execution_in_the_app():
    sources = "\n".join(p.read_text() for p in APP_DIR.glob("*.py"))
    for forbidden in ("CommandConsole", "exec(", "eval(", "code.interact", "InteractiveConsole"):
        assert forbidden not in sources, forbidden


def test_launch_rejects_bad_port_and_host():
    from negotiate.app import launch

    parser = argparse.ArgumentParser()
    launch.register(parser.add_subparsers())
    args = parser.parse_args(["app", "--port", "99999"])
    with pytest.raises(NegotiateError, match="1 to 65535"):
        args.handler(args)
    args = parser.parse_args(["app", "--port", "abc"])
    with pytest.raises(NegotiateError, match="whole number"):
        args.handler(args)
    args = parser.parse_args(["app", "--host", "no such host!"])
    with pytest.raises(NegotiateError, match="--host"):
        args.handler(args)
    assert launch.server_command("127.0.0.1", 8765)[1:3] == ["-m", "negotiate.app.serving"]


def test_chart_tables_hold_the_branch_and_the_accusations_the_charts_draw():
    from negotiate.app.charts import ChartData, chart_tables, chart_texts

    run = st.ExploreRun("rare-earth-2025", {}, 1)
    for _ in range(6):
        run.step()
    run.make_branch({"noise.perception": 0.4})
    for _ in range(4):
        run.step()
    data = ChartData.of(run.model)
    twin = ChartData.of(run.branch_model, run.branch_week)
    tables = chart_tables(data, False, branch=twin)
    heads, rows = tables["index"]
    assert heads == ["Week", "Détente index", "Détente index (branch)"]
    by_week = {int(r[0]): r for r in rows}
    assert by_week[5][2] == "" and by_week[10][2] == f"{twin.col('detente_index')[-1]:.2f}"
    heads, rows = tables["trust"]
    assert heads[-2:] == ["Accusations", "Accusations (branch)"]
    said = [r[-2] for r in rows if r[-2]]
    accused = [(w, a, real) for w, a, real in data.accusations if w <= data.week]
    assert len(said) == len({w for w, _, _ in accused}) > 0
    assert all("real breach" in t or "false alarm" in t for t in said)
    assert "Dotted, the branch" in chart_texts(data, False, branch=twin)["tariffs"]
    # Play before the end: the other side's trust and the truth of accusations stay hidden.
    heads, rows = chart_tables(data, False, player="us")["trust"]
    assert heads == ["Week", "U.S. trust", "Accusations"]
    assert all("truth hidden" in r[-1] for r in rows if r[-1])
