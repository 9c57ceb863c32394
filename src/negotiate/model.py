"""TradeModel: the governments, firms, market, truces and calendar, one step per week.

Activation order each week (explicit, as in Mesa's examples):

1. calendar events dated in this week (scheduled with ``schedule_event``, before the step);
2. each government perceives and chooses a posture (U.S., then China); accusations;
3. execution noise, then postures (and human instruments) move the instruments;
4. each side perceives the other's compliance through private noise (and, if agreed, a
   monitoring committee re-checks perceived breaches);
5. firms: licence decisions and applications, supply, inventories, production, lobbying;
   non-China suppliers ramp;
6. market prices and mood; domestic pressure, leverage and trust;
7. agreements: lapse, extension or snapback; talks (alternating offers);
8. welfare scores, the détente index, and data collection.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

import mesa
import numpy as np

from .agents.firm import SUPPLIERS, US_HOME, Firm, FirmPanel, Supplier
from .agents.government import Government
from .calendar import CalendarEvent
from .errors import MoveError
from .eventlog import EventLog
from .inputs import scenario_arg
from .market import Market
from .moves import FirmAction, Move
from .negotiation import (
    Offer,
    Party,
    alternating_offers,
    clamp_offer,
    ideal_offer,
    status_quo_offer,
)
from .outcome import Outcome, classify, detente_index
from .policy import Instruments, Steps, Terms, translate, within_terms
from .scenario import TradeScenario, scenario_from_kwargs
from .strategies import Posture, make_strategy
from .truce import Agreement, TruceBook, consult, perceive

MODEL_REPORTERS = (
    "week", "us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average", "us_curbs",
    "cn_curbs", "controls_active", "approval_rate", "review_weeks", "diversification",
    "us_posture", "cn_posture", "us_complied", "cn_complied", "us_trust", "cn_trust",
    "us_pressure", "cn_pressure", "us_leverage", "cn_leverage", "rare_earth_flow", "production", "inventory_weeks",
    "nonchina_capacity_tpy", "price_china", "price_contract", "price_spot", "market_mood",
    "agreement_in_force", "accusations_us", "accusations_cn", "false_accusations_us",
    "false_accusations_cn", "snapbacks", "us_welfare", "cn_welfare", "detente_index",
)
#: The classic game has no instruments, firms or markets: only these mean anything there.
CLASSIC_REPORTERS = (
    "week", "us_posture", "cn_posture", "us_complied", "cn_complied", "us_trust", "cn_trust",
    "accusations_us", "accusations_cn", "false_accusations_us", "false_accusations_cn",
    "us_welfare", "cn_welfare", "detente_index",
)
GOVERNMENT_COLUMNS = ("posture", "complied", "trust", "pressure", "leverage", "welfare",
                      "tariff", "tariff_average", "curbs")
#: Settings a branch may change from its week on (the scenario keeps the original).
LIVE_KEYS = ("noise.perception", "noise.execution", "truce.monitoring", "us.strategy",
             "cn.strategy", "us.hawkishness", "cn.hawkishness")


class AttributeCollector(mesa.DataCollector):
    """Mesa's DataCollector for reporters named by model attribute.

    Every reporter here names a plain attribute holding a number, a bool or a string, so the
    deepcopy that DataCollector makes of each value (to guard mutable ones) is skipped, as
    Mesa already does for agent-type reporters; that copy was a fifth of a week's cost at
    40 firms. Anything mutable still goes through Mesa's own path.
    """

    _IMMUTABLE = (str, int, bool, float, np.generic)
    _checked = False

    def collect(self, model: mesa.Model) -> None:
        if self.agent_reporters or self.agenttype_reporters or not self._validated:
            super().collect(model)
            return
        values = [getattr(model, reporter) for reporter in self.model_reporters.values()]
        # The reporters' types do not change from week to week: check them once.
        if not self._checked:
            if not all(isinstance(value, self._IMMUTABLE) for value in values):
                super().collect(model)  # Mesa's own path copies anything mutable
                return
            self._checked = True
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        model_vars = self.model_vars
        for var, value in zip(self.model_reporters, values, strict=True):
            model_vars[var].append(value)


class TradeModel(mesa.Model):
    """The 2025 U.S.-China rare-earth and tariff standoff (or its classic-game reduction).

    ``TradeModel(scenario)`` takes a validated :class:`~negotiate.scenario.TradeScenario`;
    ``TradeModel(**params)`` builds one from parameters (attribute names such as
    ``us_strategy`` or dotted keys, plus ``rng``), which is what ``mesa.batch_run`` does.
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
        self.truces = TruceBook()
        self.talks_this_week = False
        self.talks_pending_week: int | None = None
        self.talks_proposer = "us"
        self.last_talks_week = -10_000
        self.offer_on_table: tuple[str, Offer] | None = None
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
        self.min_flow = 1.0

        self.us = Government(self, "us", self._strategy("us"), Instruments.with_curb_index(
            "us", s.us_tech_curbs, tariff_headline=s.us_tariff_headline,
            tariff_base=s.us_tariff_base, diversification=s.us_diversification), s.us_trust)
        self.cn = Government(self, "cn", self._strategy("cn"), Instruments.with_curb_index(
            "cn", s.cn_tech_curbs, tariff_headline=s.cn_tariff_headline,
            tariff_base=s.cn_tariff_base, controls_active=s.cn_controls,
            controlled_elements=s.cn_controlled_elements, approval_rate=s.cn_approval_rate,
            review_weeks=s.cn_review_weeks, licence_kind=s.cn_licence_kind), s.cn_trust)
        self.steps_by_side = {
            "us": Steps(s.us_escalation_step, s.us_retaliation_step),
            "cn": Steps(s.cn_escalation_step, s.cn_retaliation_step),
        }

        n_firms = 0 if self.classic else s.firms_count
        self.firms = FirmPanel(n_firms, self.rng, demand_tpy=s.supply_demand_tpy,
                               buffer_weeks=s.firms_buffer_weeks, jit_share=s.firms_jit_share,
                               jit_buffer_weeks=s.firms_jit_buffer_weeks,
                               china_share=s.firms_china_share, heavy_share=s.firms_heavy_share)
        for i in range(n_firms):
            Firm(self, i)
        self.suppliers: list[Supplier] = []
        if not self.classic:
            for spec in SUPPLIERS:
                Supplier(self, spec, s.supply_nonchina_tpy * spec.share,
                         s.supply_nonchina_target_tpy * spec.share)
            self.suppliers = list(self.agents_by_type[Supplier])
        self.ramping = [sup for sup in self.suppliers if sup.ramping]
        self.market = Market(s.market_price_china, s.market_contract_premium,
                             s.market_spot_premium_max, s.market_mood_decay)
        self.firm_panel: list[dict[str, np.ndarray]] = []

        self.classic_game = None
        if self.classic:
            from .ipd import ClassicGame

            self.classic_game = ClassicGame(
                self.us.strategy, self.cn.strategy,
                (s.payoffs_reward, s.payoffs_sucker, s.payoffs_temptation, s.payoffs_punishment),
                execution_noise=self.execution_noise, perception_noise=self.perception_noise)

        self._calendar: dict[int, list[CalendarEvent]] = defaultdict(list)
        for event in s.events:
            week = event.week(s.start)
            if 1 <= week <= s.weeks:
                self._calendar[week].append(event)
        for week in sorted(self._calendar):
            self.schedule_event(self._apply_calendar, at=week - 0.5)

        self._publish()
        # Government data are model reporters (us_*, cn_*): a per-agent-type table for two
        # agents cost a fifth of a week at 40 firms; government_table() reshapes them.
        reporters = CLASSIC_REPORTERS if self.classic else MODEL_REPORTERS
        self.datacollector = AttributeCollector(model_reporters={name: name for name in reporters})
        self.running = True

    # ------------------------------------------------------------------------ helpers
    def _strategy(self, side: str):
        s = self.scenario
        return make_strategy(getattr(s, f"{side}_strategy"),
                             generosity=getattr(s, f"{side}_generosity"),
                             hawkishness=getattr(s, f"{side}_hawkishness"),
                             forgiveness=getattr(s, f"{side}_forgiveness"))

    def _strategy_named(self, side: str, name: str):
        s = self.scenario
        return make_strategy(name, generosity=getattr(s, f"{side}_generosity"),
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

    @property
    def governments(self) -> tuple[Government, Government]:
        return self.us, self.cn

    # ------------------------------------------------------------------------ outside moves
    def submit_move(self, side: str, move: Move) -> None:
        """Queue a human move for next week's step (replaces an earlier one this week)."""
        gov = self.government(side)
        if not gov.strategy.external:
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

    def set_live(self, key: str, value: Any) -> None:
        """Change a setting from now on (what 'branch from this week' uses)."""
        if key not in LIVE_KEYS:
            raise MoveError(f"{key!r} cannot change mid-run; allowed: {', '.join(LIVE_KEYS)}")
        from .scenario import BY_KEY, coerce

        value = coerce(BY_KEY[key], value, "branch")
        if key == "noise.perception":
            self.perception_noise = value
        elif key == "noise.execution":
            self.execution_noise = value
        elif key == "truce.monitoring":
            self.monitoring = value
        elif key.endswith(".strategy"):
            gov = self.government(key[:2])
            gov.strategy = self._strategy_named(key[:2], value)
        elif key.endswith(".hawkishness"):
            strategy = self.government(key[:2]).strategy
            if hasattr(strategy, "hawkishness"):
                strategy.hawkishness = value
        if self.classic_game is not None:
            self.classic_game.us, self.classic_game.cn = self.us.strategy, self.cn.strategy
            self.classic_game.execution_noise = self.execution_noise
            self.classic_game.perception_noise = self.perception_noise
        self.log.add(self.steps, "branch", "calendar", f"{key} set to {value}")

    # ------------------------------------------------------------------------ the week
    def step(self) -> None:
        week = self.steps
        if self.talks_pending_week == week:
            self.talks_this_week = True
        if self.classic:
            self._classic_week(week)
        else:
            self._trade_week(week)
        self._score_index(week)
        self._publish()
        self.min_flow = min(self.min_flow, self.rare_earth_flow)
        if self.collect_weekly:
            self.datacollector.collect(self)
        if self.collect_weekly and not self.classic and self.scenario.collect_firms:
            self.firm_panel.append(self.firms.snapshot(week))
        self.talks_this_week = False
        for gov in self.governments:
            gov.calendar_breach = False
        self.running = week < self.weeks
        if not self.running:
            self.outcome = self.classify()

    def _classic_week(self, week: int) -> None:
        views = [gov.perception() for gov in self.governments]
        for gov in self.governments:
            strategy = gov.strategy
            if strategy.external and gov.side in self.pending_moves:
                move = self.pending_moves.pop(gov.side)
                if move.posture is not None:
                    strategy.submit(move.posture)
        out = self.classic_game.play_week(self.rng)
        us, cn = self.us, self.cn
        for gov, view, intended in ((us, views[0], out.us_intended), (cn, views[1], out.cn_intended)):
            gov.intended = Posture.COMPLY if intended else Posture.RETALIATE
            if view.their_last is False and not intended:
                self._accuse(gov, week, "answered a perceived breach")
        us.posture = Posture.COMPLY if out.us_move else Posture.RETALIATE
        cn.posture = Posture.COMPLY if out.cn_move else Posture.RETALIATE
        self._record_compliance(out.us_move, out.cn_move, out.us_seen, out.cn_seen)
        us.welfare, cn.welfare = out.us_payoff, out.cn_payoff

    def _trade_week(self, week: int) -> None:
        s = self.scenario
        views = [gov.perception() for gov in self.governments]
        moves = self.week_moves = {side: self.pending_moves.pop(side)
                                   for side in list(self.pending_moves)}
        for gov, view in zip(self.governments, views, strict=True):
            move = moves.get(gov.side)
            if gov.strategy.external:
                if move is not None:
                    gov.strategy.submit(self._posture_of(gov, move))
                gov.intended = gov.strategy.decide(view, self.rng)
                gov.ai_moved = move is None
                if gov.ai_moved:
                    self.log.add(week, gov.side, "ai_move", f"AI chose {gov.intended.value}")
            else:
                gov.intended = gov.strategy.decide(view, self.rng)
            accuse = gov.intended in (Posture.ACCUSE, Posture.RETALIATE, Posture.ESCALATE)
            if view.their_last is False and accuse:
                self._accuse(gov, week, f"{gov.intended.value}: saw a breach last week")
            elif move is not None and move.accuse:
                self._accuse(gov, week, "accused on its own judgement")
            if gov.intended is Posture.SEEK_TALKS:
                self._request_talks(gov.side, week)

        for gov in self.governments:
            posture = gov.intended
            # The record is the executed move: a scripted side has no trembling hand.
            trembles = self.execution_noise > 0.0 and gov.strategy.moves_instruments
            if trembles and self.rng.random() < self.execution_noise:
                posture = Posture.RETALIATE if posture.complies else Posture.COMPLY
            move = moves.get(gov.side)
            if move is not None and move.sets_instruments and posture is gov.intended:
                self._apply_instruments(gov, move)
            elif gov.strategy.moves_instruments:
                translate(gov.instruments, posture, self.truces.terms, self.steps_by_side[gov.side])
            gov.posture = posture
            if posture is not gov.intended or not posture.complies:
                kind = {Posture.ESCALATE: "escalation", Posture.RETALIATE: "retaliation"}.get(posture)
                if kind:
                    self.market.shock(kind)
            if posture is Posture.CONCEDE:
                self.market.shock("concession")
            if posture in (Posture.RETALIATE, Posture.ESCALATE, Posture.CONCEDE):
                self.log.add(week, gov.side, "posture", posture.value,
                             real=posture.complies, perceived=None)

        self._agency_moves(week)
        terms = self.truces.terms
        us_ok, cn_ok = (
            gov.posture.complies and not gov.calendar_breach
            and (terms is None or within_terms(gov.instruments, terms))
            for gov in self.governments
        )
        us_seen = perceive(cn_ok, self.perception_noise, self.rng)
        cn_seen = perceive(us_ok, self.perception_noise, self.rng)
        if self.monitoring and self.truces.current is not None:
            committee = self.perception_noise * s.truce_monitoring_factor
            for seen, truth, side in ((us_seen, cn_ok, "us"), (cn_seen, us_ok, "cn")):
                cleared = consult(seen, truth, committee, self.rng)
                if not seen and cleared:
                    self.log.add(week, side, "consultation",
                                 "monitoring committee found no breach", real=not truth,
                                 perceived=True)
                if side == "us":
                    us_seen = cleared
                else:
                    cn_seen = cleared
        self._record_compliance(us_ok, cn_ok, us_seen, cn_seen)

        self._firms_week(week)
        self._pressures()
        self._truce_week(week)
        if self.talks_this_week and week >= s.talks_earliest_week:
            self._talks(week)
        self._welfare()

    def _agency_moves(self, week: int) -> None:
        """Real breaches nobody at the top chose: an agency acts on its own during a truce.

        In 2025 both sides' 'violations' were mostly non-tariff moves made while a truce held
        (facts §1.3): BIS chip guidance, the EDA halt and visa revocations within three weeks
        of Geneva; slow licence reviews, new probes and listings in September. Bureaucratic
        politics (Allison 1971) makes such moves likely even when leaders mean to comply.
        """
        terms = self.truces.terms
        if terms is None:
            return
        s = self.scenario
        for gov, rate in ((self.us, s.us_agency_moves), (self.cn, s.cn_agency_moves)):
            ai_played = gov.strategy.moves_instruments and not gov.strategy.external
            if rate <= 0.0 or not ai_played or not gov.posture.complies:
                continue
            if self.rng.random() >= rate:
                continue
            inst = gov.instruments
            if gov.side == "us":
                inst.raise_curbs(0.25)
                what = "an agency tightens a tech curb on its own"
            else:
                inst.controls_active = True
                inst.approval_rate = max(0.0, min(inst.approval_rate, terms.approval_floor) - 0.15)
                what = "licence reviews slow down below the agreed floor"
            gov.calendar_breach = True  # a real breach, whatever the posture said
            self.market.shock("retaliation", 0.5)
            self.log.add(week, gov.side, "agency_move", what, real=True)

    def _record_compliance(self, us_ok: bool, cn_ok: bool, us_seen: bool, cn_seen: bool) -> None:
        us, cn = self.us, self.cn
        us.complied, cn.complied = us_ok, cn_ok
        us.complied_last, cn.complied_last = us_ok, cn_ok
        us.seen_other, cn.seen_other = us_seen, cn_seen
        us.seen_history.append(us_seen)
        cn.seen_history.append(cn_seen)
        us.complied_history.append(us_ok)
        cn.complied_history.append(cn_ok)
        us.update_trust(us_seen)
        cn.update_trust(cn_seen)
        if self.classic_game is None:
            us.strategy.observe(us_ok, us_seen)
            cn.strategy.observe(cn_ok, cn_seen)
        self.both_complied.append(us_ok and cn_ok)

    def _posture_of(self, gov: Government, move: Move) -> Posture:
        """The posture a human's move amounts to: instruments speak louder than words, so a
        move that says 'comply' while raising a tariff is a breach."""
        if not move.sets_instruments:
            return move.posture or (Posture.ACCUSE if move.accuse else Posture.COMPLY)
        inferred = self._inferred_posture(gov, move)
        if move.posture is None or (move.posture.complies and not inferred.complies):
            return inferred
        return move.posture

    def _inferred_posture(self, gov: Government, move: Move) -> Posture:
        """A human who sets instruments directly has, in effect, chosen a posture."""
        inst = gov.instruments
        hostile = (
            (move.tariff_headline is not None and move.tariff_headline > inst.tariff_headline + 1e-9)
            or (move.tech_curbs is not None and move.tech_curbs > inst.tech_curbs + 1e-9)
            or (move.approval_rate is not None and move.approval_rate < inst.approval_rate - 1e-9)
            or (move.review_weeks is not None and move.review_weeks > inst.review_weeks + 1e-9)
        )
        terms = self.truces.terms
        if terms is not None and self._breaches(gov.side, move, terms):
            hostile = True
        if hostile:
            big = (move.tariff_headline or 0) - inst.tariff_headline >= self.steps_by_side[gov.side].escalation
            return Posture.ESCALATE if big else Posture.RETALIATE
        if move.accuse:
            return Posture.ACCUSE
        eased = (
            (move.tariff_headline is not None and move.tariff_headline < inst.tariff_headline - 1e-9)
            or (move.tech_curbs is not None and move.tech_curbs < inst.tech_curbs - 1e-9)
            or (move.approval_rate is not None and move.approval_rate > inst.approval_rate + 1e-9)
        )
        return Posture.CONCEDE if eased else Posture.COMPLY

    @staticmethod
    def _breaches(side: str, move: Move, terms: Terms) -> bool:
        if side == "us":
            return ((move.tariff_headline or 0) > terms.us_tariff_cap + 1e-9
                    or (move.tech_curbs is not None and move.tech_curbs > terms.curb_cap + 1e-9))
        return ((move.tariff_headline or 0) > terms.cn_tariff_cap + 1e-9
                or (move.approval_rate is not None and move.approval_rate < terms.approval_floor - 1e-9)
                or (move.review_weeks is not None and move.review_weeks > terms.review_cap + 1e-9))

    @staticmethod
    def _apply_instruments(gov: Government, move: Move) -> None:
        inst = gov.instruments
        if move.tariff_headline is not None:
            inst.set_tariff(move.tariff_headline)
        if move.tech_curbs is not None:
            current = inst.tech_curbs
            for name in inst.measures:
                if current > 0:
                    inst.measures[name] = min(1.0, inst.measures[name] * move.tech_curbs / current)
                else:
                    inst.measures[name] = move.tech_curbs
        if move.approval_rate is not None:
            inst.approval_rate = move.approval_rate
            inst.controls_active = inst.controls_active or move.approval_rate < 1.0
        if move.review_weeks is not None:
            inst.review_weeks = move.review_weeks
        if move.licence_kind is not None:
            inst.licence_kind = move.licence_kind
        if move.diversification is not None:
            inst.diversification = move.diversification

    def _accuse(self, accuser: Government, week: int, why: str, *, real: bool | None = None) -> None:
        accused = accuser.other
        if real is None:
            real = accused.complied_last is False
        accuser.accusations += 1
        if not real:
            accuser.false_accusations += 1
        accused.accused()
        self.accusation_weeks.append(week)
        self.market.shock("accusation")
        self.log.add(week, accuser.side, "accusation",
                     f"accuses {accused.side.upper()} of breaching: {why}", real=real, perceived=True)

    # ------------------------------------------------------------------------ firms & market
    def _firms_week(self, week: int) -> None:
        s, cn = self.scenario, self.cn.instruments
        for index, action in self.pending_firm_actions.items():
            self._apply_firm_action(index, action)
        self.pending_firm_actions.clear()
        for index, action in self.pending_supplier_actions.items():
            if action.invest is not None:
                self.suppliers[index].extra_investment = action.invest
        self.pending_supplier_actions.clear()
        capacity = sum(sup.capacity_tpw for sup in self.suppliers)
        firms = self.firms
        firms.step(week, self.rng, controls=cn.controls_active, approval_rate=cn.approval_rate,
                   defence_factor=s.cn_defence_approval_factor, review_weeks=cn.review_weeks,
                   licence_kind=cn.licence_kind, nonchina_capacity=capacity,
                   switch_rate=s.firms_switch_rate)
        if firms.approved or firms.denied:
            self.log.add(week, "cn", "licence_decisions",
                         f"{firms.approved} approved, {firms.denied} denied "
                         f"({firms.applied} new applications)")
        if firms.new_stoppages:
            self.log.add(week, "firms", "plant_stoppage",
                         f"{firms.new_stoppages} firms below half production")
        support = self.us.instruments.diversification
        for supplier in self.ramping:
            supplier.ramp(support, s.supply_ramp_weeks, s.supply_support_speedup)
        if self.ramping and not all(sup.ramping for sup in self.ramping):
            self.ramping = [sup for sup in self.ramping if sup.ramping]
        wanted = firms.total_demand
        blocked_share = firms.blocked / wanted if wanted else 0.0
        self.market.update(1.0 - firms.flow_share(), blocked_share)

    def _apply_firm_action(self, index: int, action: FirmAction) -> None:
        agent = next(a for a in self.agents_by_type[Firm] if a.index == index)
        if action.stockpile_weeks is not None:
            agent.stockpile(action.stockpile_weeks)
        if action.switch_share is not None:
            agent.switch_suppliers(action.switch_share)
        if action.lobby is not None:
            agent.lobby(action.lobby)
        if action.apply_licence:
            agent.apply_for_licence()

    def _pressures(self) -> None:
        s, firms, market = self.scenario, self.firms, self.market
        us, cn = self.us, self.cn
        us_short = firms.shortage(US_HOME)
        mood_pain = min(1.0, max(0.0, -market.mood / 10.0))
        us_tariff_pain = min(1.0, (us.tariff_average - us.instruments.tariff_base) / 200.0
                             + (cn.tariff_average - cn.instruments.tariff_base) / 200.0)
        us.pressure = min(1.0, 0.7 * min(1.0, 2.0 * us_short) + 0.15 * market.price_pain
                          + 0.15 * mood_pain + 0.2 * us_tariff_pain
                          + 0.15 * firms.lobbying_of(US_HOME))
        blocked = firms.blocked / firms.total_demand if firms.total_demand else 0.0
        cn_tariff_pain = min(1.0, (us.tariff_average - us.instruments.tariff_base) / 100.0)
        cn.pressure = min(1.0, 0.45 * cn_tariff_pain + 0.2 * us.tech_curbs + 0.15 * mood_pain
                          + 0.2 * min(1.0, blocked))
        cn.leverage = s.cn_processing_share * max(us_short, firms.dependency(US_HOME))
        us.leverage = min(1.0, 0.3 * us.tech_curbs + 0.5 * cn_tariff_pain + 0.2)

    # ------------------------------------------------------------------------ truces & talks
    def _truce_week(self, week: int) -> None:
        current = self.truces.current
        if current is None or week < current.end_week:
            return
        votes = {gov.side: self._wants_extension(gov) for gov in self.governments}
        if all(votes.values()):
            self.truces.extend(self.scenario.truce_extension_weeks)
            self.market.shock("extension")
            self.log.add(week, "both", "extension",
                         f"{current.name} extended to week {current.end_week}")
            return
        against = ", ".join(side.upper() for side, yes in votes.items() if not yes)
        self._lapse(week, f"{current.name} lapsed: {against} would not extend")

    def _lapse(self, week: int, why: str) -> None:
        current = self.truces.current
        snap = self.scenario.truce_snapback and (current.suspended_us > 0 or current.suspended_cn > 0)
        self.truces.lapse(week, snap)
        self.market.shock("lapse")
        self.log.add(week, "both", "lapse", why)
        if snap:
            self.us.instruments.set_tariff(self.us.instruments.tariff_headline + current.suspended_us)
            self.cn.instruments.set_tariff(self.cn.instruments.tariff_headline + current.suspended_cn)
            self.market.shock("snapback")
            self.log.add(week, "both", "snapback",
                         f"suspended tariffs return: U.S. +{current.suspended_us:.0f} pts, "
                         f"China +{current.suspended_cn:.0f} pts")

    def _wants_extension(self, gov: Government) -> bool:
        if gov.strategy.external:
            move = self.week_moves.get(gov.side)
            if move is not None and move.extend is not None:
                return move.extend
        if gov.strategy.name == "scripted":
            return False  # the replay extends only where the record says so
        threshold = self.scenario.truce_extend_trust
        return gov.trust >= threshold or gov.pressure >= threshold

    def _request_talks(self, side: str, week: int) -> None:
        if week - self.last_talks_week < self.scenario.talks_cooldown_weeks:
            return
        if week + 1 < self.scenario.talks_earliest_week:
            return
        if self.talks_pending_week is None or self.talks_pending_week <= week:
            self.talks_pending_week = week + 1
            self.talks_proposer = side

    def _talks(self, week: int) -> None:
        self.last_talks_week = week
        if any(gov.strategy.name == "scripted" for gov in self.governments):
            self.log.add(week, "both", "talks", "talks held (outcome scripted by the calendar)")
            return
        us, cn = self.us.instruments, self.cn.instruments
        weeks = self.scenario.truce_weeks
        args = (us.tariff_headline, cn.tariff_headline, us.tech_curbs, cn.approval_rate,
                cn.review_weeks, weeks)
        parties = {}
        for gov in self.governments:
            parties[gov.side] = Party(gov.side, ideal_offer(gov.side, *args),
                                      status_quo_offer(us.tariff_headline, cn.tariff_headline,
                                                       us.tech_curbs, cn.approval_rate,
                                                       cn.review_weeks, cn.licence_kind, weeks),
                                      gov.pressure, gov.trust)
        human_offer = None
        order = [self.talks_proposer, "cn" if self.talks_proposer == "us" else "us"]
        for gov in self.governments:
            move = self.week_moves.get(gov.side)
            if gov.strategy.external and move is not None:
                if move.accept_offer and self.offer_on_table and self.offer_on_table[0] != gov.side:
                    self._sign(self.offer_on_table[1], week, f"deal accepted by {gov.side.upper()}")
                    self.offer_on_table = None
                    return
                if move.offer is not None:
                    human_offer = clamp_offer(move.offer)
                    order = [gov.side, "cn" if gov.side == "us" else "us"]
        result = alternating_offers(parties[order[0]], parties[order[1]],
                                    self.scenario.talks_rounds, opening=human_offer)
        for side, offer in result.offers:
            self.log.add(week, side, "offer", offer.describe())
        if result.agreed is not None:
            self._sign(result.agreed, week, "talks")
            self.offer_on_table = None
        else:
            self.offer_on_table = result.offers[-1] if result.offers else None
            self.log.add(week, "both", "talks_failed", "no offer met both sides' limits")

    def _sign(self, offer: Offer, week: int, name: str, *, suspended: tuple[float, float] | None = None) -> None:
        s = self.scenario
        us, cn = self.us.instruments, self.cn.instruments
        cut_us = max(0.0, us.tariff_headline - offer.us_tariff_cap)
        cut_cn = max(0.0, cn.tariff_headline - offer.cn_tariff_cap)
        if suspended is None:
            suspended = (s.truce_snapback_share * cut_us, s.truce_snapback_share * cut_cn)
        previous = self.truces.current
        carried = (previous.suspended_us, previous.suspended_cn) if previous else (0.0, 0.0)
        terms = offer.terms()
        end = week + offer.weeks
        if previous is not None and name == "talks":
            # Talks during a truce amend its terms; the lapse date stands (London, June 2025,
            # implemented Geneva and kept its 12 August deadline).
            end = previous.end_week
        agreement = Agreement(name, terms, week, end,
                              suspended[0] + carried[0], suspended[1] + carried[1])
        self.truces.sign(agreement)
        for gov in self.governments:
            if gov.strategy.moves_instruments:
                translate(gov.instruments, Posture.COMPLY, terms, self.steps_by_side[gov.side])
            else:
                # The record says which non-tariff commitments were kept; only the tariff
                # cuts took effect on signature (Geneva: within two days).
                cap = terms.us_tariff_cap if gov.side == "us" else terms.cn_tariff_cap
                gov.instruments.set_tariff(min(gov.instruments.tariff_headline, cap))
        self.market.shock("agreement")
        self.log.add(week, "both", "agreement", f"{name}: {offer.describe()}")

    # ------------------------------------------------------------------------ scores
    def _welfare(self) -> None:
        """Weekly welfare in payoff units comparable with the iterated game (docs/ODD.md)."""
        us, cn, firms = self.us, self.cn, self.firms
        drag = ((us.tariff_average - us.instruments.tariff_base)
                + (cn.tariff_average - cn.instruments.tariff_base)) / 2.0 / 163.0
        trade = 3.0 * (1.0 - min(1.0, drag))
        us_short = firms.shortage(US_HOME)
        blocked = firms.blocked / firms.total_demand if firms.total_demand else 0.0
        us.welfare = trade - 3.0 * us_short - 0.5 * self.market.price_pain - 0.3 * us.tech_curbs
        cn.welfare = trade - 1.5 * min(1.0, blocked) - 1.0 * us.tech_curbs - 0.3 * cn.tech_curbs

    def _score_index(self, week: int) -> None:
        for gov in self.governments:
            gov.welfare_total += gov.welfare
        while self.accusation_weeks and self.accusation_weeks[0] <= week - 4:
            self.accusation_weeks.popleft()
        recent = len(self.accusation_weeks)
        window = self.both_complied[-4:]
        cooperation = sum(window) / len(window) if window else 1.0
        us, cn = self.us, self.cn
        self.detente_index = detente_index(
            classic=self.classic, us_headline=us.tariff_headline, cn_headline=cn.tariff_headline,
            flow=self.firms.flow_share(), us_curbs=us.tech_curbs, cn_curbs=cn.tech_curbs,
            trust=(us.trust + cn.trust) / 2.0, accusations_recent=recent,
            cooperation_recent=cooperation)
        self.index_history.append(self.detente_index)

    def classify(self) -> Outcome:
        s = self.scenario
        window = self.both_complied[-s.outcome_window_weeks:]
        return classify(self.index_history, week=self.steps,
                        agreement_in_force=self.truces.current is not None,
                        snapback_weeks=self.truces.snapback_weeks,
                        cooperation_window=sum(window) / len(window) if window else 1.0,
                        hold=s.outcome_hold_threshold, friction=s.outcome_friction_threshold,
                        window=s.outcome_window_weeks, quiet_weeks=s.outcome_quiet_weeks)

    def _publish(self) -> None:
        """Copy this week's state into plain attributes that the reporters read by name."""
        us, cn, firms, market = self.us, self.cn, self.firms, self.market
        if self.classic:
            self._publish_classic()
            return
        self.us_tariff = us.tariff_headline
        self.cn_tariff = cn.tariff_headline
        self.us_tariff_average = us.tariff_average
        self.cn_tariff_average = cn.tariff_average
        self.us_curbs = us.tech_curbs
        self.cn_curbs = cn.tech_curbs
        self.controls_active = cn.instruments.controls_active
        self.approval_rate = cn.instruments.approval_rate
        self.review_weeks = cn.instruments.review_weeks
        self.diversification = us.instruments.diversification
        self.us_posture = us.posture.value
        self.cn_posture = cn.posture.value
        self.us_complied = us.complied
        self.cn_complied = cn.complied
        self.us_trust = us.trust
        self.cn_trust = cn.trust
        self.us_pressure = us.pressure
        self.cn_pressure = cn.pressure
        self.us_leverage = us.leverage
        self.cn_leverage = cn.leverage
        self.rare_earth_flow = firms.flow_share()
        self.production = float(firms.production.sum()) / firms.n if firms.n else 1.0
        self.inventory_weeks = firms.mean_cover()
        self.nonchina_capacity_tpy = sum(sup.capacity_tpy for sup in self.suppliers)
        self.price_china = market.price_china
        self.price_contract = market.price_contract
        self.price_spot = market.price_spot
        self.market_mood = market.mood
        self.agreement_in_force = self.truces.current is not None
        self.accusations_us = us.accusations
        self.accusations_cn = cn.accusations
        self.false_accusations_us = us.false_accusations
        self.false_accusations_cn = cn.false_accusations
        self.snapbacks = len(self.truces.snapback_weeks)
        self.us_welfare = us.welfare
        self.cn_welfare = cn.welfare
        if not hasattr(self, "detente_index"):
            self.detente_index = float("nan")

    def _publish_classic(self) -> None:
        us, cn = self.us, self.cn
        self.us_posture, self.cn_posture = us.posture.value, cn.posture.value
        self.us_complied, self.cn_complied = us.complied, cn.complied
        self.us_trust, self.cn_trust = us.trust, cn.trust
        self.accusations_us, self.accusations_cn = us.accusations, cn.accusations
        self.false_accusations_us = us.false_accusations
        self.false_accusations_cn = cn.false_accusations
        self.us_welfare, self.cn_welfare = us.welfare, cn.welfare
        self.rare_earth_flow = 1.0
        self.snapbacks = 0
        if not hasattr(self, "detente_index"):
            self.detente_index = float("nan")

    # ------------------------------------------------------------------------ calendar
    def _apply_calendar(self) -> None:
        week = self.steps + 1
        for event in self._calendar.get(week, ()):
            self.apply_event(event, week)

    def apply_event(self, event: CalendarEvent, week: int | None = None) -> None:
        """Apply one calendar event now (also used by a teacher's injected events)."""
        from .calendar_effects import apply_event

        apply_event(self, event, self.steps + 1 if week is None else week)

    # ------------------------------------------------------------------------ tables
    def model_table(self):
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        if frame.empty:
            return frame
        frame.insert(1, "date", [self.log.date_of(int(w)) for w in frame["week"]])
        return frame

    def government_table(self):
        """One row per government per week (from the us_*/cn_* model reporters)."""
        import pandas as pd

        frame = self.model_table()
        rows = []
        for side in ("us", "cn"):
            if frame.empty:
                break
            part = pd.DataFrame({"week": frame["week"], "side": side})
            for column in GOVERNMENT_COLUMNS:
                source = f"{side}_{column}"
                if source in frame:
                    part[column] = frame[source].to_numpy()
            rows.append(part)
        if not rows:
            return pd.DataFrame(columns=["week", "side", *GOVERNMENT_COLUMNS])
        return pd.concat(rows, ignore_index=True).sort_values(["week", "side"], kind="stable",
                                                              ignore_index=True)

    def firm_table(self):
        import pandas as pd

        if not self.firm_panel:
            return pd.DataFrame(columns=["week", "firm", "cover_weeks", "production", "china_share",
                                         "licensed", "pending", "lobbying"])
        return self.firms.panel_table(self.firm_panel)

    def event_table(self):
        return self.log.to_frame()
