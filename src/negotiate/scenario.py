"""Scenario files (TOML) validated into one typed scenario: the single source of parameters.

Every parameter is an annotated attribute of :class:`TradeScenario`, so Mesa's ``Scenario``
machinery, ``mesa.batch_run`` and SolaraViz all see it. Its dotted key in files and on the
command line is the attribute name with the first underscore after the section replaced by
a dot: ``us_strategy`` <-> ``us.strategy``, ``noise_perception`` <-> ``noise.perception``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, get_type_hints

from mesa.experimental.scenarios import Scenario

from .calendar import CalendarEvent, parse_events
from .errors import ScenarioError
from .inputs import check_seed
from .oserrors import special_file_kind
from .params import ELEMENTS, LICENCE_KINDS, WEEKS, Choice, Flag, Range, Subset, Text, shown
from .strategies import STRATEGY_NAMES, canonical_name

SECTIONS: tuple[str, ...] = (
    "us", "cn", "noise", "truce", "talks", "firms", "supply", "market", "payoffs", "outcome",
    "collect",
)
_STRATEGY = Choice(STRATEGY_NAMES, "strategy name (aliases accepted)")
_TOP_ONLY = ("title", "description", "sources", "events")
#: The weekly firm panel is kept in memory (about 40 bytes a row); beyond this it would not fit.
MAX_PANEL_ROWS = 50_000_000


class TradeScenario(Scenario):
    """All parameters of one computational experiment, with units and bounds."""

    # -- what the scenario is ------------------------------------------------------------
    title: Annotated[str, Text("one line shown in the app and the briefing", 200)] = "Untitled"
    description: Annotated[str, Text("one paragraph for the app and the classroom briefing")] = ""
    sources: Annotated[tuple[str, ...], Text("sources of the calibrated numbers")] = ()
    mode: Annotated[str, Choice(("trade", "classic"), "classic = iterated prisoner's dilemma")] = "trade"
    weeks: Annotated[int, WEEKS] = 52
    start_date: Annotated[str, Text("Monday of week 1, YYYY-MM-DD (quoted, or a TOML date); the last week must end by 9999-12-31", 10)] = "2025-01-06"
    events: Annotated[tuple[CalendarEvent, ...], Text("dated calendar")] = ()

    # -- United States ---------------------------------------------------------------------
    us_strategy: Annotated[str, _STRATEGY] = "pragmatic"
    us_tariff_headline: Annotated[float, Range(0, 200, "%", "2025 IEEPA layers on Chinese goods (peak 145)")] = 0.0
    us_tariff_base: Annotated[float, Range(0, 100, "%", "PIIE trade-weighted average before the 2025 layers")] = 20.8
    us_tech_curbs: Annotated[float, Range(0, 1, "index", "chip/EDA controls, entity listings, visas")] = 0.3
    us_diversification: Annotated[float, Range(0, 1, "index", "price floors, equity, offtake for non-China supply")] = 0.0
    us_trust: Annotated[float, Range(0, 1, "", "initial trust in China")] = 0.5
    us_hawkishness: Annotated[float, Range(0, 1, "per week", "pragmatic: chance of pressing an advantage")] = 0.1
    us_forgiveness: Annotated[float, Range(0, 1, "", "pragmatic: chance of answering a perceived breach with compliance")] = 0.25
    us_agency_moves: Annotated[float, Range(0, 1, "per week", "during a truce: an agency tightens a non-tariff measure on its own")] = 0.0
    us_generosity: Annotated[float, Range(0, 1, "", "gtft: chance of forgiving a defection")] = 1 / 3
    us_escalation_step: Annotated[float, Range(0, 200, "pts", "headline tariff added by an escalation")] = 50.0
    us_retaliation_step: Annotated[float, Range(0, 100, "pts", "headline tariff added by a retaliation")] = 10.0

    # -- China -------------------------------------------------------------------------------
    cn_strategy: Annotated[str, _STRATEGY] = "pragmatic"
    cn_tariff_headline: Annotated[float, Range(0, 200, "%", "2025 layers on U.S. goods (peak 125)")] = 0.0
    cn_tariff_base: Annotated[float, Range(0, 100, "%", "PIIE trade-weighted average before 2025")] = 21.0
    cn_tech_curbs: Annotated[float, Range(0, 1, "index", "unreliable-entity listings, probes, export bans")] = 0.1
    cn_trust: Annotated[float, Range(0, 1, "", "initial trust in the United States")] = 0.5
    cn_hawkishness: Annotated[float, Range(0, 1, "per week", "pragmatic: chance of pressing an advantage")] = 0.1
    cn_forgiveness: Annotated[float, Range(0, 1, "", "pragmatic: chance of answering a perceived breach with compliance")] = 0.25
    cn_agency_moves: Annotated[float, Range(0, 1, "per week", "during a truce: an agency slow-walks licences on its own")] = 0.0
    cn_generosity: Annotated[float, Range(0, 1, "", "gtft: chance of forgiving a defection")] = 1 / 3
    cn_escalation_step: Annotated[float, Range(0, 200, "pts", "headline tariff added by an escalation")] = 50.0
    cn_retaliation_step: Annotated[float, Range(0, 100, "pts", "headline tariff added by a retaliation")] = 10.0
    cn_controls: Annotated[bool, Flag("rare-earth export licensing in force at week 1")] = False
    cn_controlled_elements: Annotated[tuple[str, ...], Subset(ELEMENTS, "elements under licence when controls are in force (default: Announcement No. 18's seven)")] = (
        "Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y")
    cn_approval_rate: Annotated[float, Range(0, 1, "share", "licence applications approved")] = 1.0
    cn_review_weeks: Annotated[float, Range(0, 52, "weeks", "licence review time (45 working days = 9)")] = 9.0
    cn_licence_kind: Annotated[str, Choice(LICENCE_KINDS, "licence issued on approval")] = "single"
    cn_processing_share: Annotated[float, Range(0, 1, "share", "China's share of rare-earth refining")] = 0.91
    cn_approval_factor_us: Annotated[float, Range(0, 4, "", "approval-rate multiplier for U.S. firms (capped at 1)")] = 1.0
    cn_approval_factor_eu: Annotated[float, Range(0, 4, "", "approval-rate multiplier for EU firms (capped at 1)")] = 1.0
    cn_approval_factor_jp: Annotated[float, Range(0, 4, "", "approval-rate multiplier for Japanese firms (capped at 1)")] = 1.0
    cn_approval_factor_kr: Annotated[float, Range(0, 4, "", "approval-rate multiplier for Korean firms (capped at 1)")] = 1.0
    cn_approval_factor_in: Annotated[float, Range(0, 4, "", "approval-rate multiplier for Indian firms (capped at 1)")] = 1.0
    cn_defence_approval_factor: Annotated[float, Range(0, 1, "", "approval-rate multiplier for defence end users")] = 0.2

    # -- noise -------------------------------------------------------------------------------
    noise_perception: Annotated[float, Range(0, 0.5, "probability", "each side sees the other's move flipped")] = 0.05
    noise_execution: Annotated[float, Range(0, 0.5, "probability", "a move is made opposite to intended")] = 0.02

    # -- truces ------------------------------------------------------------------------------
    truce_weeks: Annotated[int, Range(1, 156, "weeks", "duration of a new truce (90 days = 13)")] = 13
    truce_extension_weeks: Annotated[int, Range(1, 156, "weeks", "length of an extension")] = 13
    truce_snapback: Annotated[bool, Flag("suspended tariffs return when a truce lapses")] = True
    truce_snapback_share: Annotated[float, Range(0, 1, "share", "part of a truce's tariff cut that is suspended, not removed")] = 0.21
    truce_monitoring: Annotated[bool, Flag("during a truce, a joint committee observes compliance and each side acts on its finding")] = False
    truce_monitoring_factor: Annotated[float, Range(0, 1, "", "the committee's perception noise as a share of noise.perception")] = 0.25
    truce_extend_trust: Annotated[float, Range(0, 1, "", "AI extends a truce when trust or pressure reach this")] = 0.4

    # -- negotiation rounds --------------------------------------------------------------------
    talks_rounds: Annotated[int, Range(1, 40, "offers", "offers exchanged in one round of talks")] = 6
    talks_earliest_week: Annotated[int, Range(1, 1_000_000, "week", "no talks before this week")] = 1
    talks_cooldown_weeks: Annotated[int, Range(0, 52, "weeks", "minimum gap between triggered talks")] = 4

    # -- firms and supply ----------------------------------------------------------------------
    firms_count: Annotated[int, Range(0, 100_000, "firms", "magnet-using firms (third parties included)")] = 40
    firms_buffer_weeks: Annotated[float, Range(0, 52, "weeks", "normal inventory cover (2-3 months)")] = 10.0
    firms_jit_share: Annotated[float, Range(0, 1, "share", "firms on just-in-time buffers")] = 0.25
    firms_jit_buffer_weeks: Annotated[float, Range(0, 52, "weeks", "just-in-time cover (2-4 weeks)")] = 3.0
    firms_china_share: Annotated[float, Range(0, 1, "share", "mean share of magnets bought from China")] = 0.85
    firms_switch_rate: Annotated[float, Range(0, 1, "per week", "shift toward non-China supply when short")] = 0.02
    firms_heavy_share: Annotated[float, Range(0, 1, "share", "firms using heavy-RE-bearing NdFeB (Dy+Tb 1-8 %)")] = 0.8
    firms_buffer_spread: Annotated[float, Range(0, 0.9, "share", "each firm's cover is its type's times 1 +/- up to this")] = 0.0
    firms_dytb_threshold_pct: Annotated[float, Range(0, 10, "% by weight", "Dy+Tb content above which a Dy/Tb control needs a licence (0.1)")] = 0.1
    supply_demand_tpy: Annotated[float, Range(1, 1e7, "t/yr", "magnet demand of the modelled firms")] = 40_000.0
    supply_nonchina_tpy: Annotated[float, Range(0, 1e7, "t/yr", "non-China magnet capacity at week 1")] = 6_000.0
    supply_nonchina_target_tpy: Annotated[float, Range(0, 1e7, "t/yr", "announced non-China capacity")] = 20_000.0
    supply_ramp_weeks: Annotated[float, Range(1, 2000, "weeks", "time to build announced capacity without support")] = 416.0
    supply_transit_weeks_us: Annotated[int, Range(0, 26, "weeks", "China to U.S. firms (sea)")] = 0
    supply_transit_weeks_eu: Annotated[int, Range(0, 26, "weeks", "China to EU firms (sea, ~45 days)")] = 0
    supply_transit_weeks_jp: Annotated[int, Range(0, 26, "weeks", "China to Japanese firms")] = 0
    supply_transit_weeks_kr: Annotated[int, Range(0, 26, "weeks", "China to Korean firms")] = 0
    supply_transit_weeks_in: Annotated[int, Range(0, 26, "weeks", "China to Indian firms")] = 0
    supply_support_speedup: Annotated[float, Range(0, 20, "", "full support divides ramp time by 1 + this")] = 2.0

    # -- markets -------------------------------------------------------------------------------
    market_price_china: Annotated[float, Range(1, 10_000, "$/kg", "NdPr oxide inside China")] = 60.0
    market_contract_premium: Annotated[float, Range(0, 5, "share", "contract premium outside China")] = 0.05
    market_price_heavy: Annotated[float, Range(1, 100_000, "$/kg", "Dy/Tb oxide blend inside China")] = 224.0
    market_price_nonchina: Annotated[float, Range(1, 10_000, "$/kg", "NdPr price of non-China supply (MP-DoD floor 110)")] = 110.0
    market_spot_premium_max: Annotated[float, Range(0, 20, "share", "largest thin-spot premium at full shortage")] = 3.0
    market_mood_decay: Annotated[float, Range(0, 1, "per week", "share of last week's mood kept")] = 0.8

    # -- payoffs (classic mode) ------------------------------------------------------------------
    payoffs_reward: Annotated[float, Range(-100, 100, "", "R: both comply")] = 3.0
    payoffs_sucker: Annotated[float, Range(-100, 100, "", "S: comply against a breach")] = 0.0
    payoffs_temptation: Annotated[float, Range(-100, 100, "", "T: breach against compliance")] = 5.0
    payoffs_punishment: Annotated[float, Range(-100, 100, "", "P: both breach")] = 1.0
    # -- pressure and welfare scales (trade mode; negotiate.payoffs) -------------------------------
    payoffs_shortage_weight: Annotated[float, Range(0, 1, "", "weight of U.S. firms' magnet shortage in U.S. pressure")] = 0.7
    payoffs_tariff_pain_scale: Annotated[float, Range(1, 1000, "pts", "average-tariff points above base that make tariffs' full pain at home")] = 200.0
    payoffs_trade_drag_scale: Annotated[float, Range(1, 1000, "pts", "mean average-tariff points above base at which trade gains vanish (about the average at a 200% headline)")] = 163.0

    # -- outcome -----------------------------------------------------------------------------------
    outcome_hold_threshold: Annotated[float, Range(0, 1, "", "mean détente index for 'détente holds'")] = 0.6
    outcome_friction_threshold: Annotated[float, Range(0, 1, "", "below this mean index, 'friction returns'")] = 0.4
    outcome_window_weeks: Annotated[int, Range(1, 520, "weeks", "weeks averaged for the outcome")] = 8
    outcome_quiet_weeks: Annotated[int, Range(0, 520, "weeks", "no snapback in these last weeks to hold")] = 13

    # -- data collection -------------------------------------------------------------------------
    collect_weekly: Annotated[bool, Flag("record weekly model and government tables (sweeps turn it off)")] = True
    collect_firms: Annotated[bool, Flag("record the weekly firm panel")] = True

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.start_date)

    def copy(self, **changes: Any) -> TradeScenario:
        """An unbound copy (a scenario belongs to one model once it runs); ``rng`` may change."""
        values = {name: getattr(self, name) for name in FIELDS}
        rng = changes.pop("rng", self.rng)
        values.update(changes)
        twin = type(self)(rng=rng, **values)
        twin.name = getattr(self, "name", "custom")
        return twin

    def params(self) -> dict[str, Any]:
        """Every parameter by dotted key (what a sweep row or a JSON summary records)."""
        return {field.key: getattr(self, name) for name, field in FIELDS.items() if name != "events"}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    key: str
    kind: type
    spec: Range | Choice | Text | Flag | Subset
    default: Any


def dotted_key(name: str) -> str:
    head, _, tail = name.partition("_")
    return f"{head}.{tail}" if head in SECTIONS and tail else name


def _collect_fields() -> dict[str, Field]:
    hints = get_type_hints(TradeScenario, include_extras=True)
    fields = {}
    for name, hint in hints.items():
        if name.startswith("_") or not hasattr(hint, "__metadata__"):
            continue
        kind = hint.__origin__
        fields[name] = Field(name, dotted_key(name), kind, hint.__metadata__[0], getattr(TradeScenario, name))
    return fields


FIELDS: dict[str, Field] = _collect_fields()
BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS.values()}


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "a string",
            list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date and time",
            dt.time: "a time of day"}.get(type(value), type(value).__name__)


def allowed_text(field: Field) -> str:
    """What ``field`` accepts, as its refusals say it."""
    if isinstance(field.spec, Range):
        return field.spec.allowed(whole=field.kind is int)
    return field.spec.allowed()


def coerce(field: Field, value: Any, source: str) -> Any:
    """Check one value against its field; return it in the field's type or raise."""
    spec, key = field.spec, field.key

    def bad(msg: str) -> ScenarioError:
        return ScenarioError(msg, source=source, key=key)

    if isinstance(spec, Range):
        allowed = allowed_text(field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(f"got {_type_name(value)} {shown(value)}; allowed: {allowed}")
        if isinstance(value, float) and not math.isfinite(value):
            raise bad(f"got {value!r}; allowed: {allowed} (finite)")
        if field.kind is int and isinstance(value, float) and not value.is_integer():
            raise bad(f"got {value!r}; allowed: {allowed}")
        # Bounds first, compared exactly: an int of 400 digits has no float to convert to.
        if not spec.lo <= value <= spec.hi:
            raise bad(f"got {shown(value)}, out of range; allowed: {allowed}")
        return int(value) if field.kind is int else float(value)
    if isinstance(spec, Flag):
        if not isinstance(value, bool):
            raise bad(f"got {_type_name(value)} {shown(value)}; allowed: true or false")
        return value
    if isinstance(spec, Choice):
        if not isinstance(value, str):
            raise bad(f"got {_type_name(value)} {shown(value)}; allowed: {spec.allowed()}")
        word = value.strip().lower()
        if spec is _STRATEGY:
            name = canonical_name(word)
            if name is None:
                raise bad(f"unknown strategy {shown(value)}; allowed: {spec.allowed()}")
            return name
        if word not in spec.options:
            raise bad(f"got {shown(value)}; allowed: {spec.allowed()}")
        return word
    if isinstance(spec, Subset):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise bad(f"got {_type_name(value)}; allowed: {spec.allowed()}")
        unknown = [v for v in value if v not in spec.options]
        if unknown:
            raise bad(f"unknown {', '.join(map(shown, unknown))}; allowed: {spec.allowed()}")
        return tuple(dict.fromkeys(value))
    if field.name == "sources":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise bad("allowed: a list of strings")
        return tuple(value)
    allowed = spec.allowed()
    if field.name == "start_date":
        allowed = 'a date as YYYY-MM-DD, e.g. 2025-03-03 or "2025-03-03"'
        # TOML has dates of its own: start_date = 2025-03-03 (unquoted, in a file or a --set)
        # means that day as surely as the quoted "2025-03-03" does.
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
    if not isinstance(value, str):
        raise bad(f"got {_type_name(value)} {shown(value)}; allowed: {allowed}")
    if len(value) > spec.max_length:
        raise bad(f"is {len(value)} characters long; allowed: {allowed}")
    if field.name == "start_date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise bad(f"got {shown(value)}; allowed: {allowed}") from None
    return value


def flatten(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Turn the nested TOML tables into ``{dotted key: value}``; unknown keys are errors."""
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ScenarioError(f"must be a table [{key}]", source=source, key=key)
            for sub, sub_value in value.items():
                flat[f"{key}.{sub}"] = sub_value
        else:
            flat[key] = value
    for key in flat:
        if key not in BY_KEY:
            raise ScenarioError(f"unknown key; allowed: {_allowed_near(key)}", source=source, key=key)
    return flat


def _allowed_near(key: str) -> str:
    head = key.split(".")[0]
    keys = [k for k in BY_KEY if k.split(".")[0] == head] if head in SECTIONS else None
    if keys:
        return ", ".join(keys)
    return "top-level keys " + ", ".join(k for k in BY_KEY if "." not in k) + "; tables " + ", ".join(
        f"[{s}]" for s in SECTIONS
    )


def validate(flat: dict[str, Any], source: str) -> dict[str, Any]:
    """Validate dotted-key values; returns attribute-name values ready for the scenario."""
    values: dict[str, Any] = {}
    for key, value in flat.items():
        field = BY_KEY.get(key)
        if field is None:
            raise ScenarioError(f"unknown key; allowed: {_allowed_near(key)}", source=source, key=key)
        if field.name == "events":
            values["events"] = parse_events(value, source)
        else:
            values[field.name] = coerce(field, value, source)
    return values


def check_consistency(s: TradeScenario, source: str) -> None:
    """Rules that tie fields together."""
    if s.outcome_friction_threshold > s.outcome_hold_threshold:
        raise ScenarioError(
            "must not exceed outcome.hold_threshold; allowed: friction_threshold <= hold_threshold",
            source=source, key="outcome.friction_threshold",
        )
    if s.mode == "classic":
        r, p, t, sk = s.payoffs_reward, s.payoffs_punishment, s.payoffs_temptation, s.payoffs_sucker
        if not (t > r > p > sk):
            raise ScenarioError(
                f"(R, S, T, P) = ({r:g}, {sk:g}, {t:g}, {p:g}) is not a prisoner's dilemma; "
                "allowed: T > R > P > S", source=source, key="payoffs",
            )
    rows = s.weeks * s.firms_count
    if s.mode == "trade" and s.collect_weekly and s.collect_firms and rows > MAX_PANEL_ROWS:
        raise ScenarioError(
            f"weeks x firms.count = {rows:,} rows of weekly firm panel; allowed: at most "
            f"{MAX_PANEL_ROWS:,} (set collect.firms = false, or fewer weeks or firms)",
            source=source, key="collect.firms",
        )
    # Every week of the run is dated (tables, the event log), and dates end at 9999-12-31.
    room = (dt.date.max - s.start).days // 7 + 1
    if s.weeks > room:
        fits = s.weeks - 1 <= (dt.date.max - dt.date.min).days // 7
        earlier = (f", or a start_date no later than {dt.date.max - dt.timedelta(weeks=s.weeks - 1)}"
                   if fits else "")
        raise ScenarioError(
            f"week {s.weeks:,} of a run from {s.start} would fall after {dt.date.max}, the last "
            f"date there is; allowed: at most {room:,} week{'s' if room > 1 else ''} from this "
            f"start_date{earlier}",
            source=source, key="start_date")
    for event in s.events:
        if event.date < s.start:
            raise ScenarioError(
                f"event {event.label!r} on {event.date} is before start_date {s.start}; "
                "allowed: dates on or after start_date", source=source, key="events",
            )


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
@functools.cache
def scenario_dir() -> Path:
    # The installed package does not move while the process runs.
    return Path(str(resources.files("negotiate.scenarios")))


def available_scenarios() -> dict[str, Path]:
    """Built-in scenario names -> files, sorted by name."""
    return {p.stem: p for p in sorted(scenario_dir().glob("*.toml"))}


def builtin_path(name: str) -> Path | None:
    """The file of the built-in scenario ``name`` (a key of :func:`available_scenarios`),
    or None; found without listing the folder, as every run looks its scenario up."""
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        return None
    path = scenario_dir() / f"{name}.toml"
    return path if path.is_file() else None


def read_toml(path: Path, read: list[tuple[Path, bytes]] | None = None) -> dict[str, Any]:
    """A TOML file's tables; ``read`` (if given) gets the file and the bytes read from it."""
    source = str(path)
    if not path.exists():
        raise ScenarioError("file does not exist; allowed: a built-in scenario name or a .toml file",
                            source=source)
    if path.is_dir():
        raise ScenarioError("is a directory; allowed: a .toml file", source=source)
    kind = special_file_kind(path)  # reading a FIFO would wait forever for a writer
    if kind is not None:
        raise ScenarioError(f"is {kind}, not a file; allowed: a .toml file", source=source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot be read ({exc.strerror}); allowed: a readable .toml file",
                            source=source) from None
    if read is not None:
        read.append((path, data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"is not UTF-8 (byte {exc.start}); allowed: a UTF-8 TOML file",
                            source=source) from None
    # Windows editors save UTF-8 with a byte-order mark, which TOML does not expect.
    text = text.removeprefix("\ufeff")
    parsed = _parse_toml(text, source)
    try:
        return copy.deepcopy(parsed)
    except RecursionError:
        raise ScenarioError(_TOO_DEEP, source=source) from None


_TOO_DEEP = ("nests arrays or tables too deeply to read; allowed: lists of strings, "
             "e.g. sources = [\"...\"], and [[events]] tables")


def _too_many_digits(text: str) -> str:
    """Where ``text`` has an integer too long for Python to read (line and column)."""
    limit = sys.get_int_max_str_digits()
    found = re.search(rf"[0-9](?:_?[0-9]){{{limit},}}", text)
    if found is None:
        return ""
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    return f" (at line {line}, column {column})"


@functools.lru_cache(maxsize=64)
def _parse_toml(text: str, source: str) -> dict[str, Any]:
    # Parsing is most of what loading a built-in scenario costs, and sweeps load the same
    # text thousands of times; the cache is keyed by the text itself, so an edit is seen.
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"is not valid TOML ({exc}); allowed: a TOML file", source=source) from None
    except ValueError:
        # tomllib reads integers with int(), which refuses more than 4,300 digits.
        raise ScenarioError(
            f"has a whole number of more than {sys.get_int_max_str_digits():,} digits"
            f"{_too_many_digits(text)}; allowed: numbers within each key's range",
            source=source) from None
    except RecursionError:
        raise ScenarioError(_TOO_DEEP, source=source) from None


def _event_date(raw: Any) -> dt.date | None:
    value = raw.get("date") if isinstance(raw, dict) else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def read_scenario_raw(path: Path, chain: tuple[Path, ...] = (),
                      read: list[tuple[Path, bytes]] | None = None) -> dict[str, Any]:
    """Read a scenario file, following ``extends = "parent"``.

    A child inherits every table and event of its parent; its own tables override key by
    key, its ``[[events]]`` are added, ``remove_events`` drops parent events by label, and
    parent events dated before the child's ``start_date`` are dropped (their effect is in
    the child's starting values). Sources are concatenated.
    """
    source = str(path)
    raw = read_toml(path, read)
    parent_name = raw.pop("extends", None)
    remove = raw.pop("remove_events", None)
    if parent_name is None:
        if remove is not None:
            raise ScenarioError("only works together with 'extends'; allowed: extends = \"name\"",
                                source=source, key="remove_events")
        return raw
    if not isinstance(parent_name, str):
        raise ScenarioError("allowed: the name of a built-in scenario or a relative .toml path",
                            source=source, key="extends")
    builtin = available_scenarios()
    parent_path = builtin.get(parent_name) or (path.parent / parent_name)
    if parent_path.resolve() in {p.resolve() for p in (*chain, path)}:
        raise ScenarioError(f"{parent_name!r} extends itself in a cycle; allowed: a chain without loops",
                            source=source, key="extends")
    if parent_name not in builtin and not parent_path.exists():
        raise ScenarioError(f"{parent_name!r} is not a scenario; allowed: {', '.join(builtin)} "
                            "or a .toml path relative to this file", source=source, key="extends")
    base = read_scenario_raw(parent_path, (*chain, path), read)
    merged = dict(base)
    for key, value in raw.items():
        if key in SECTIONS and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        elif key == "sources":
            child = value if isinstance(value, list) else [value]
            merged[key] = list(dict.fromkeys([*child, *base.get("sources", [])]))
        elif key != "events":
            merged[key] = value
    events = list(base.get("events", []))
    if remove is not None:
        if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
            raise ScenarioError("allowed: a list of event labels", source=source, key="remove_events")
        labels = [e.get("label") for e in events if isinstance(e, dict)]
        for label in remove:
            if label not in labels:
                raise ScenarioError(f"no parent event is labelled {label!r}; allowed: "
                                    + "; ".join(map(str, labels)), source=source, key="remove_events")
        events = [e for e in events if not (isinstance(e, dict) and e.get("label") in remove)]
    if "start_date" in raw:
        try:
            start = dt.date.fromisoformat(str(raw["start_date"]))
        except ValueError:
            start = None
        if start is not None:
            events = [e for e in events if (d := _event_date(e)) is None or d >= start]
    own = raw.get("events", [])
    merged["events"] = events + (own if isinstance(own, list) else [own])
    return merged


def resolve(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    builtin = builtin_path(text)
    if builtin is not None:
        return builtin
    path = Path(text)
    if path.suffix.lower() != ".toml" and not path.exists():
        raise ScenarioError(
            f"no such scenario; allowed: {', '.join(available_scenarios())} or a path to a .toml file",
            source=text,
        )
    return path


def parse_set(assignments: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """``KEY=VALUE`` strings from the command line -> ``{dotted key: value}``.

    The value is read as a TOML value, so ``0.05``, ``true``, ``2025-03-03`` and
    ``["Dy", "Tb"]`` keep their types; a bare word (``tft``) is taken as a string. Each key
    may be given once.
    """
    out: dict[str, Any] = {}
    for item in assignments:
        key, sep, text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(f"{shown(str(item))} is not KEY=VALUE; allowed: e.g. us.strategy=tft",
                                source="--set")
        if key == "events":
            raise ScenarioError("cannot be set on the command line; allowed: [[events]] tables in "
                                "a scenario file (one may extend this scenario: extends = \"name\")",
                                source="--set", key=key)
        if key not in BY_KEY:
            raise ScenarioError(f"unknown key; allowed: {_allowed_near(key)}", source="--set", key=key)
        if key in out:
            # Which one was meant is a guess either way (--grid refuses the same).
            raise ScenarioError("is given twice; allowed: each key once", source="--set", key=key)
        out[key] = set_value(BY_KEY[key], text)
    return out


def set_value(field: Field, text: str, source: str = "--set") -> Any:
    """One ``KEY=VALUE``'s VALUE as TOML reads it (a bare word as a string), for ``field``.

    The value must be one line: TOML would read ``0.3``, a line break and ``us.trust=5`` as
    two assignments, and everything after the first would be lost without a word.
    """
    if "\n" in text or "\r" in text:
        raise ScenarioError(f"got {shown(text)}, which is more than one line; allowed: one value "
                            f"on one line, {allowed_text(field)}", source=source, key=field.key)
    text = text.strip()
    try:
        doc = tomllib.loads(f"v = {text}")
    except tomllib.TOMLDecodeError:
        return text
    except ValueError:
        # tomllib reads integers with int(), which refuses more than 4,300 digits.
        raise ScenarioError(f"got a whole number of more than {sys.get_int_max_str_digits():,} "
                            f"digits; allowed: {allowed_text(field)}",
                            source=source, key=field.key) from None
    except RecursionError:
        raise ScenarioError(f"got arrays nested too deeply to read; allowed: {allowed_text(field)}",
                            source=source, key=field.key) from None
    return doc["v"]


def overrides_dict(overrides: Any, source: str = "overrides") -> dict[str, Any]:
    """Overrides as ``{dotted key: value}``: a mapping, one ``"KEY=VALUE"`` string or a list of
    them. Errors name ``source`` (the API argument, or ``--set`` for the command line)."""
    if not overrides:
        return {}
    if isinstance(overrides, Mapping):
        return dict(overrides)
    if isinstance(overrides, str):
        overrides = [overrides]  # one assignment, not a sequence of characters
    if not isinstance(overrides, list | tuple) or not all(isinstance(o, str) for o in overrides):
        raise ScenarioError(f"got {type(overrides).__name__}; allowed: a mapping of dotted keys "
                            "to values, a \"KEY=VALUE\" string or a list of them", source=source)
    try:
        return parse_set(list(overrides))
    except ScenarioError as exc:
        raise ScenarioError(exc.detail, source=source, key=exc.key) from None


def build_scenario(values: dict[str, Any], *, seed: int | None = None, source: str = "parameters") -> TradeScenario:
    """Validated attribute values -> a TradeScenario (seed stored as Mesa's ``rng``)."""
    scenario = TradeScenario(rng=seed, **values)
    check_consistency(scenario, source)
    return scenario


#: Validated values of recently loaded files, each with every file (and its bytes) they
#: were read from, ``extends`` parents included. Each load reads the files again (a few
#: microseconds) and validates only when a byte changed: sweeps and benchmarks load the
#: same scenario thousands of times, and validating it costs more than a model's first week.
_LOADED: dict[Path, tuple[tuple[tuple[Path, bytes], ...], dict[str, Any]]] = {}
_LOADED_MAX = 64


def _unchanged(read: tuple[tuple[Path, bytes], ...]) -> bool:
    for path, data in read:
        try:
            # is_file first: reading a FIFO put where a file was would wait for a writer.
            if not path.is_file() or path.read_bytes() != data:
                return False
        except OSError:
            return False
    return True


def file_values(path: Path, source: str) -> dict[str, Any]:
    """A scenario file's validated values by attribute name (read-only: copy to change).

    Errors name ``source``. The values are kept for the next load of the same bytes.
    """
    known = _LOADED.get(path)
    if known is not None and _unchanged(known[0]):
        return known[1]
    read: list[tuple[Path, bytes]] = []
    values = validate(flatten(read_scenario_raw(path, read=read), source), source)
    if len(_LOADED) >= _LOADED_MAX:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[path] = (tuple(read), values)
    return values


def load_scenario(
    name_or_path: str | Path = "rare-earth-2025",
    overrides: dict[str, Any] | list[str] | None = None,
    *,
    seed: int | None = None,
) -> TradeScenario:
    """Read, validate and return a scenario; ``overrides`` use dotted keys (or KEY=VALUE)."""
    path = resolve(name_or_path)
    source = str(name_or_path)
    values = dict(file_values(path, source))
    if overrides:
        values.update(validate(overrides_dict(overrides), "overrides"))
    seed = check_seed(seed, "seed")
    scenario = build_scenario(values, seed=seed, source=source)
    scenario.name = path.stem
    return scenario


def scenario_from_kwargs(kwargs: dict[str, Any]) -> TradeScenario:
    """Keyword parameters (attribute names or dotted keys) -> a validated scenario.

    This is what ``TradeModel(**params)`` and ``mesa.batch_run`` use; ``rng``/``seed`` set the
    seed and ``scenario_name`` names a scenario (built-in name or .toml path) to start from
    (``scenario`` itself is the scenario object, so batch_run's parameters use
    ``scenario_name``).
    """
    kwargs = dict(kwargs)
    seed = kwargs.pop("rng", None)
    if seed is None:
        seed = kwargs.pop("seed", None)
    else:
        kwargs.pop("seed", None)
    seed = check_seed(seed, "rng")
    base = kwargs.pop("scenario_name", None)
    flat = {}
    for key, value in kwargs.items():
        field = FIELDS.get(key) or BY_KEY.get(key)
        if field is None:
            raise ScenarioError(f"unknown parameter; allowed: {', '.join(FIELDS)}", source="parameters", key=key)
        flat[field.key] = value
    if base is not None:
        scenario = load_scenario(base, flat)
        scenario.rng = seed
        return scenario
    values = validate(flat, "parameters")
    scenario = build_scenario(values, seed=seed)
    scenario.name = "custom"
    return scenario
