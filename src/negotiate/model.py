"""TradeModel: the governments, firms, market, truces and calendar, one step per week.

The model holds the state and sequences the week; each rule lives in its home module.
Activation order each week (explicit, as in Mesa's examples):

1. calendar events dated in this week (scheduled with ``schedule_event``, before the step);
2. each government decides (``Government.decide``: posture, accusation, request for talks);
3. each government acts (``Government.act``: execution noise, then its instruments move);
   agencies may breach a truce on their own;
4. each side perceives the other's compliance through private noise (``truce.monitored_views``);
5. firms and suppliers (``supply.supply_week``) and the market;
6. domestic pressure and leverage (``payoffs.pressures``);
7. agreements: extension or lapse and snapback (``truce.end_of_term``); talks
   (``negotiation.hold_talks``, ``negotiation.human_exchanges``);
8. welfare (``payoffs.welfare``), the détente index, and data collection.

A classic scenario plays one round of the ``ipd`` kernel instead of steps 2-7
(``classic.classic_week``); :meth:`TradeModel.play_to_end` plays a classic game without
weekly tables in one call of that kernel (``classic.play_game``).
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import partial
from typing import Any

import mesa

from . import calendar_effects, classic, negotiation, payoffs, reporters, truce
from .agents.firm import SUPPLIERS, Firm, FirmPanel, Supplier
from .agents.government import Government, NoiseChange
from .calendar import CalendarEvent
from .errors import MoveError
from .eventlog import EventLog
from .inputs import scenario_arg
from .market import Market
from .moves import FirmAction, Move, breaches
from .negotiation import PendingOffer
from .outcome import RECENT, Outcome, classify, detente_index
from .policy import Instruments, Steps, within_terms
from .reporters import CLASSIC_REPORTERS, MODEL_REPORTERS, REPORTERS, BatchRunRecord
from .scenario import TradeScenario, scenario_from_kwargs
from .strategies import make_strategy
from .supply import supply_week

__all__ = ["CLASSIC_REPORTERS", "MODEL_REPORTERS", "TradeModel"]


class TradeModel(mesa.Model):
    """The 2025 U.S.-China rare-earth and tariff standoff (or its classic-game reduction).

    ``TradeModel(scenario)`` takes a validated :class:`~negotiate.scenario.TradeScenario`;
    ``TradeModel(**params)`` builds one from parameters (attribute names such as
    ``us_strategy`` or dotted keys, plus ``rng``), which is what ``mesa.batch_run`` does.
    Every reporter in :data:`negotiate.reporters.REPORTERS` is also a read-only attribute.
    """

    def __init__(self, scenario: TradeScenario | str | None = None, **kwargs: Any) -> None:
        scenario = scenario_arg(scenario)  # a built-in name or a .toml path is loaded
        if scenario is None:
            scenario = scenario_from_kwargs(kwargs)
        elif kwargs:
            raise TypeError("pass either a scenario or parameters, not both")
        if scenario.model is not None:
            scenario = scenario.copy()  # a scenario object may be reused for many runs
        super().__init__(scenario=scenario)
        s = scenario
        self.classic = s.mode == "classic"
        self.weeks = s.weeks
        self.log = EventLog(s.start)
        self.perception_noise = s.noise_perception
        self.execution_noise = s.noise_execution
        self.monitoring = s.truce_monitoring
        self.payoff_scales = payoffs.PayoffScales(s.payoffs_shortage_weight, s.payoffs_tariff_pain_scale,
                                                  s.payoffs_trade_drag_scale)
        self.truces = truce.TruceBook()
        self.talks_this_week = False
        self.talks_pending_week: int | None = None
        self.talks_proposer = "us"
        self.last_talks_week = -10_000
        self.pending_offers: dict[str, PendingOffer] = {}
        self.pending_moves: dict[str, Move] = {}
        self.week_moves: dict[str, Move] = {}
        self.pending_firm_actions: dict[int, FirmAction] = {}
        self.pending_supplier_actions: dict[int, FirmAction] = {}
        self.move_log: list[tuple[int, str, Any]] = []
        self.index_history: list[float] = []
        self.both_complied: list[bool] = []
        self.accusation_weeks: deque[int] = deque()  # only the last few weeks are kept
        self.outcome: Outcome | None = None
        self.collect_weekly = s.collect_weekly
        self.collect_firms = s.collect_firms and not self.classic  # the firm panel is recorded
        self.min_flow = 1.0
        self.detente_index = float("nan")

        self.us = Government(self, "us", self.strategy_for("us"), Instruments.with_curb_index(
            "us", s.us_tech_curbs, tariff_headline=s.us_tariff_headline,
            tariff_base=s.us_tariff_base, diversification=s.us_diversification), s.us_trust,
            Steps(s.us_escalation_step, s.us_retaliation_step))
        self.cn = Government(self, "cn", self.strategy_for("cn"), Instruments.with_curb_index(
            "cn", s.cn_tech_curbs, tariff_headline=s.cn_tariff_headline,
            tariff_base=s.cn_tariff_base, controls_active=s.cn_controls,
            controlled_elements=s.cn_controlled_elements, approval_rate=s.cn_approval_rate,
            review_weeks=s.cn_review_weeks, licence_kind=s.cn_licence_kind), s.cn_trust,
            Steps(s.cn_escalation_step, s.cn_retaliation_step))
        self.governments = (self.us, self.cn)

        n_firms = 0 if self.classic else s.firms_count
        self.firms = FirmPanel.from_scenario(n_firms, self.rng, s)
        for i in range(n_firms):
            Firm(self, i)
        self.suppliers: list[Supplier] = []
        if not self.classic:
            self.suppliers = [Supplier(self, spec, s.supply_nonchina_tpy * spec.share,
                                       s.supply_nonchina_target_tpy * spec.share) for spec in SUPPLIERS]
        self.ramping = [sup for sup in self.suppliers if sup.ramping]
        self.market = Market.from_scenario(s)
        self.firm_panel: list[dict] = []

        self.classic_game = None
        if self.classic:
            from .ipd import ClassicGame

            self.classic_game = ClassicGame(
                self.us.strategy, self.cn.strategy,
                (s.payoffs_reward, s.payoffs_sucker, s.payoffs_temptation, s.payoffs_punishment),
                execution_noise=self.execution_noise, perception_noise=self.perception_noise)

        self.calendar: dict[int, list[CalendarEvent]] = defaultdict(list)
        for event in s.events:
            week = event.week(s.start)
            if 1 <= week <= s.weeks:
                self.calendar[week].append(event)
        # Mesa holds a scheduled callable weakly, a bound method through a WeakMethod that
        # costs about four plain references; one partial kept here is referenced plainly.
        self._calendar_callback = partial(TradeModel._apply_calendar, self)
        for week in sorted(self.calendar):
            self.schedule_event(self._calendar_callback, at=week - 0.5)
        # Government data are model reporters (us_*, cn_*); government_table() reshapes them.
        self.datacollector = BatchRunRecord(CLASSIC_REPORTERS if self.classic else MODEL_REPORTERS)
        self.running = True

    def strategy_for(self, side: str, name: str | None = None):
        """A new strategy for ``side``: the scenario's, or ``name``, with the side's parameters."""
        s = self.scenario
        return make_strategy(name or getattr(s, f"{side}_strategy"),
                             generosity=getattr(s, f"{side}_generosity"),
                             hawkishness=getattr(s, f"{side}_hawkishness"),
                             forgiveness=getattr(s, f"{side}_forgiveness"))

    @property
    def week(self) -> int:
        return self.steps

    @property
    def date(self) -> str:
        return self.log.date_of(max(self.steps, 1))

    def government(self, side: str) -> Government:
        if side not in ("us", "cn"):
            raise MoveError(f"side {side!r} is unknown; allowed: us, cn")
        return self.us if side == "us" else self.cn

    # ------------------------------------------------------------------------ outside moves
    def submit_move(self, side: str, move: Move) -> None:
        """Queue a human move for next week's step (replaces an earlier one this week)."""
        gov = self.government(side)
        if not gov.human:
            raise MoveError(f"the {side.upper()} seat is played by the AI ({gov.strategy.name}); "
                            "allowed: moves for a side whose strategy is 'human'")
        self.pending_moves[side] = move
        self.move_log.append((self.steps + 1, side, move))

    def submit_firm_action(self, firm_index: int, action: FirmAction) -> None:
        if not 0 <= firm_index < self.firms.n:
            raise MoveError(f"firm {firm_index} does not exist; allowed: 0 to {self.firms.n - 1}")
        self.pending_firm_actions[firm_index] = action
        self.move_log.append((self.steps + 1, f"firm:{firm_index}", action))

    def submit_supplier_action(self, index: int, action: FirmAction) -> None:
        """Queue a non-China supplier seat's lever (its own investment push) for next week."""
        if not 0 <= index < len(self.suppliers):
            raise MoveError(f"supplier {index} does not exist; allowed: 0 to {len(self.suppliers) - 1}")
        self.pending_supplier_actions[index] = action
        self.move_log.append((self.steps + 1, f"supplier:{index}", action))

    # ------------------------------------------------------------------------ human seats
    def pending_offer(self, side: str) -> PendingOffer | None:
        """The offer waiting for ``side``'s answer (accept, reject or counter), if any."""
        self.government(side)
        return self.pending_offers.get(side)

    def terms_in_force(self, side: str) -> dict[str, Any] | None:
        """The caps ``side`` is bound by now, with the agreement's name (None without one)."""
        self.government(side)
        current = self.truces.current
        if current is None:
            return None
        t = current.terms
        caps: dict[str, Any] = {"agreement": current.name, "until_week": current.end_week}
        if side == "us":
            caps.update(tariff_cap=t.us_tariff_cap, curb_cap=t.curb_cap)
        else:
            caps.update(tariff_cap=t.cn_tariff_cap, approval_floor=t.approval_floor,
                        review_cap=t.review_cap, licence_kind=t.licence_kind)
        return caps

    def move_breaches(self, side: str, move: Move) -> list[str]:
        """What in ``move`` would breach the terms in force, in plain words."""
        self.government(side)
        current = self.truces.current
        if current is None:
            return []
        # An agreement reached in talks has no place name: its caps are "the agreed" ones.
        return breaches(side, move, current.terms, "agreed" if current.name == "talks" else current.name)

    def noise_report(self, side: str) -> tuple[NoiseChange, ...]:
        """What execution noise changed in ``side``'s move last week (empty when nothing)."""
        return self.government(side).noise_changes

    # ------------------------------------------------------------------------ the week
    def step(self) -> None:
        week = self.steps
        if self.talks_pending_week == week:
            self.talks_this_week = True
        if self.classic:
            classic.classic_week(self, week)  # records and scores the week
        else:
            self._trade_week(week)
            self.score_week(week)
        flow = self.firms.flow
        if flow < self.min_flow:
            self.min_flow = flow
        if self.collect_weekly:
            self.datacollector.collect(self)
            if self.collect_firms:
                self.firm_panel.append(self.firms.snapshot(week))
        self.talks_this_week = False
        self.us.calendar_breach = self.cn.calendar_breach = False
        self.running = week < self.weeks
        if not self.running:
            self.outcome = self.classify()

    def play_to_end(self) -> None:
        """Every remaining week: one call of the ``ipd`` kernel for a classic game nothing
        from outside can enter (``classic.whole_game_ready``), else week by week."""
        if classic.whole_game_ready(self):
            classic.play_game(self)
            self.steps, self.time = self.weeks, float(self.weeks)  # as a stepped run ends
            self.running = False
            self.outcome = self.classify()
        while self.running:
            self.step()

    def _trade_week(self, week: int) -> None:
        # Written out for the two sides rather than looped: at 40 firms this sequencing is a
        # large part of the week's cost (benchmarks/model.py).
        s, us, cn = self.scenario, self.us, self.cn
        us_view, cn_view = us.perception(week), cn.perception(week)
        moves = self.week_moves = self.pending_moves
        self.pending_moves = {}
        us_move, cn_move = moves.get("us"), moves.get("cn")
        us.decide(us_view, us_move, week)
        cn.decide(cn_view, cn_move, week)
        terms = self.truces.terms
        us.act(us_move, terms, week)
        cn.act(cn_move, terms, week)
        if terms is not None:
            us.agency_move(week, s.us_agency_moves, terms)
            cn.agency_move(week, s.cn_agency_moves, terms)
        us_ok = (us.posture.complies and not us.calendar_breach
                 and (terms is None or within_terms(us.instruments, terms)))
        cn_ok = (cn.posture.complies and not cn.calendar_breach
                 and (terms is None or within_terms(cn.instruments, terms)))
        us_seen, cn_seen = truce.monitored_views(self, week, us_ok, cn_ok)
        us.record(us_ok, us_seen)
        us.strategy.observe(us_ok, us_seen)
        cn.record(cn_ok, cn_seen)
        cn.strategy.observe(cn_ok, cn_seen)
        self.both_complied.append(us_ok and cn_ok)

        supply_week(self, week)
        state = payoffs.week_state(self)
        us.pressure, cn.pressure, us.leverage, cn.leverage = payoffs.pressures(
            state, s.cn_processing_share, self.payoff_scales)
        truce.end_of_term(self, week)
        # A human side's answers and offers first: the AI opens new talks only when none came.
        exchanged = ((us.strategy.external or cn.strategy.external)
                     and negotiation.human_exchanges(self, week))
        if self.talks_this_week and week >= s.talks_earliest_week and not exchanged:
            negotiation.hold_talks(self, week)
        # Only instruments can have moved since (a deal or a snapback).
        state = payoffs.with_instruments(state, us, cn)
        us.welfare, cn.welfare = payoffs.welfare(state, self.payoff_scales)

    def request_talks(self, side: str, week: int) -> None:
        """``side`` asks for talks: they open next week unless too soon or too early."""
        if week - self.last_talks_week < self.scenario.talks_cooldown_weeks:
            return
        if week + 1 < self.scenario.talks_earliest_week:
            return
        if self.talks_pending_week is None or self.talks_pending_week <= week:
            self.talks_pending_week = week + 1
            self.talks_proposer = side

    # ------------------------------------------------------------------------ scores
    def recent_record(self, week: int) -> tuple[int, float]:
        """Accusations in the last ``RECENT`` weeks, and the share of them both complied."""
        recent, oldest = self.accusation_weeks, week - RECENT
        while recent and recent[0] <= oldest:
            recent.popleft()
        window = self.both_complied[-RECENT:]
        return len(recent), sum(window) / len(window) if window else 1.0

    def score_week(self, week: int) -> None:
        """Add the trade week's welfare to the totals and score its détente index."""
        us, cn = self.us, self.cn
        us.welfare_total += us.welfare
        cn.welfare_total += cn.welfare
        accusations, cooperation = self.recent_record(week)
        us_inst, cn_inst = us.instruments, cn.instruments
        index = self.detente_index = detente_index(
            classic=False, us_headline=us_inst.tariff_headline, cn_headline=cn_inst.tariff_headline,
            flow=self.firms.flow, us_curbs=us_inst.tech_curbs, cn_curbs=cn_inst.tech_curbs,
            trust=(us.trust + cn.trust) / 2.0, accusations_recent=accusations,
            cooperation_recent=cooperation)
        self.index_history.append(index)

    def current_outcome(self) -> Outcome:
        """The final outcome once the run has ended; before that, the outcome if it ended now."""
        return self.outcome or self.classify()

    def classify(self) -> Outcome:
        s = self.scenario
        window = self.both_complied[-s.outcome_window_weeks:]
        return classify(self.index_history, week=self.steps,
                        agreement_in_force=self.truces.current is not None,
                        snapback_weeks=self.truces.snapback_weeks,
                        cooperation_window=sum(window) / len(window) if window else 1.0,
                        hold=s.outcome_hold_threshold, friction=s.outcome_friction_threshold,
                        window=s.outcome_window_weeks, quiet_weeks=s.outcome_quiet_weeks)

    # ------------------------------------------------------------------------ calendar
    def _apply_calendar(self) -> None:
        week = self.steps + 1
        for event in self.calendar.get(week, ()):
            calendar_effects.apply_event(self, event, week, dated=True)

    def apply_event(self, event: CalendarEvent, week: int | None = None) -> None:
        """Apply one calendar event now (also used by a teacher's injected events)."""
        calendar_effects.apply_event(self, event, self.steps + 1 if week is None else week)

    # ------------------------------------------------------------------------ tables
    def model_table(self):
        return reporters.model_table(self.datacollector, self.log.date_of)

    def government_table(self):
        """One row per government per week (from the us_*/cn_* model reporters)."""
        return reporters.government_table(self.datacollector)

    def firm_table(self):
        return self.firms.panel_table(self.firm_panel)

    def event_table(self):
        return self.log.to_frame()


# Each reporter is also a read-only attribute (model.us_tariff), defined once in reporters.py.
for _name, _reporter in REPORTERS.items():
    if not hasattr(TradeModel, _name) and _name != "detente_index":
        setattr(TradeModel, _name, property(_reporter))
del _name, _reporter
