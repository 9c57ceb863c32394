"""Sweep designs: a full grid, a Latin hypercube, or a Saltelli/Sobol sample.

A design is an ordered list of points (one value per swept key). Keys and values are checked
against the scenario's own bounds (``negotiate.scenario.BY_KEY``) before anything runs, so a
typo fails in a second with one sentence instead of after an hour of runs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ScenarioError
from ..params import Choice, Flag, Range, shown
from ..scenario import BY_KEY, TradeScenario, check_consistency, coerce, set_value
from .seeds import design_rng
from .store import check_total_runs

KINDS = ("single", "grid", "lhs", "sobol")
GridSpec = Mapping[str, Sequence[Any]] | Sequence[str] | None
RangeSpec = Mapping[str, Sequence[float]] | Sequence[str] | None


@dataclass(frozen=True)
class Design:
    """The swept keys and the points, in run order (point ``i`` is ``points[i]``)."""

    kind: str
    keys: tuple[str, ...]
    points: tuple[tuple[Any, ...], ...]
    #: what the researcher asked for (grid values, ranges, samples): kept in the manifest
    request: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.points)

    def point(self, index: int) -> dict[str, Any]:
        return dict(zip(self.keys, self.points[index], strict=True))

    def sobol_problem(self) -> dict[str, Any]:
        """The SALib problem this design was sampled from (Sobol designs only)."""
        ranges = self.request["ranges"]
        return {"num_vars": len(self.keys), "names": list(self.keys),
                "bounds": [list(ranges[k]) for k in self.keys]}

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "keys": list(self.keys), "request": self.request,
                "points": [list(p) for p in self.points]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Design:
        return cls(data["kind"], tuple(data["keys"]), tuple(tuple(p) for p in data["points"]),
                   dict(data.get("request", {})))


# ---------------------------------------------------------------------------- parsing
def _split(item: str, flag: str, shape: str) -> tuple[str, str]:
    key, sep, rest = str(item).partition("=")
    key = key.strip()
    if not sep or not key or not rest.strip():
        raise ScenarioError(f"{item!r} is not {shape}; allowed: e.g. {flag} noise.perception="
                            + ("0.05,0.1" if flag == "--grid" else "0:0.3"), source=flag)
    return key, rest


def parse_grid(items: GridSpec) -> dict[str, list[Any]]:
    """``["KEY=V1,V2", ...]`` (or a mapping of key -> values) -> ``{key: [values]}``."""
    if not items:
        return {}
    if isinstance(items, Mapping):
        out = {}
        for key, values in items.items():
            if isinstance(values, str | bytes) or not isinstance(values, Iterable):
                raise ScenarioError(f"got {values!r}; allowed: a list of values",
                                    source="--grid", key=key)
            out[key] = list(values)
        return out
    out: dict[str, list[Any]] = {}
    for item in items:
        key, rest = _split(item, "--grid", "KEY=V1,V2,...")
        if key in out:
            raise ScenarioError("is given twice; allowed: each key once", source="--grid", key=key)
        # Read as `negotiate run --set` reads a value (one home for huge, deep or multi-line text).
        field_ = _field(key, "--grid")
        out[key] = [set_value(field_, v, "--grid") for v in rest.split(",")]
    return out


def parse_ranges(items: RangeSpec, flag: str) -> dict[str, tuple[Any, Any]]:
    """``["KEY=LO:HI", ...]`` (or a mapping of key -> (lo, hi)) -> ``{key: (lo, hi)}``."""
    if not items:
        return {}
    if isinstance(items, Mapping):
        out = {}
        for key, bounds in items.items():
            if isinstance(bounds, str | bytes) or not isinstance(bounds, Sequence) or len(bounds) != 2:
                raise ScenarioError(f"got {bounds!r}; allowed: a pair (LO, HI)", source=flag, key=key)
            out[key] = (bounds[0], bounds[1])
        return out
    out = {}
    for item in items:
        key, rest = _split(item, flag, "KEY=LO:HI")
        lo, sep, hi = rest.partition(":")
        if not sep:
            raise ScenarioError(f"{rest!r} is not LO:HI; allowed: e.g. 0:0.3", source=flag, key=key)
        if key in out:
            raise ScenarioError("is given twice; allowed: each key once", source=flag, key=key)
        field_ = _field(key, flag)
        out[key] = (set_value(field_, lo, flag), set_value(field_, hi, flag))
    return out


# ---------------------------------------------------------------------------- checking
def _field(key: str, flag: str):
    field_ = BY_KEY.get(key)
    if field_ is None or key == "events":
        near = ", ".join(k for k in BY_KEY if k.split(".")[0] == key.split(".")[0]) or \
            "a dotted scenario key such as noise.perception or truce.monitoring"
        raise ScenarioError(f"unknown key; allowed: {near}", source=flag, key=key)
    return field_


def _check_grid(grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
    checked = {}
    for key, values in grid.items():
        field_ = _field(key, "--grid")
        if not isinstance(field_.spec, Range | Choice | Flag):
            raise ScenarioError("cannot be swept; allowed: keys that take a number, true/false "
                                "or one word from a list", source="--grid", key=key)
        if not values:
            raise ScenarioError("has no values; allowed: one or more values", source="--grid", key=key)
        coerced = [coerce(field_, v, "--grid") for v in values]
        if len(set(coerced)) != len(coerced):
            raise ScenarioError(f"repeats a value in {values!r}; allowed: distinct values",
                                source="--grid", key=key)
        checked[key] = coerced
    return checked


def _check_ranges(ranges: dict[str, tuple[Any, Any]], flag: str) -> dict[str, tuple[float, float]]:
    checked = {}
    for key, (lo, hi) in ranges.items():
        field_ = _field(key, flag)
        if not isinstance(field_.spec, Range):
            raise ScenarioError(f"is not numeric; allowed: {flag} only on keys with a numeric "
                                "range (e.g. noise.perception); use --grid for the others",
                                source=flag, key=key)
        for bound in (lo, hi):
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                raise ScenarioError(f"bound {shown(bound)} is not a number; allowed: "
                                    f"{field_.spec.allowed()}", source=flag, key=key)
        spec = field_.spec
        if not (spec.lo <= lo <= spec.hi and spec.lo <= hi <= spec.hi):
            raise ScenarioError(f"range {shown(lo)}:{shown(hi)} leaves the bounds; allowed: LO:HI within "
                                f"{spec.lo:g} to {spec.hi:g}", source=flag, key=key)
        if not lo < hi:
            raise ScenarioError(f"LO {shown(lo)} is not below HI {shown(hi)}; allowed: LO < HI",
                                source=flag, key=key)
        checked[key] = (float(lo), float(hi))
    return checked


def _numeric_value(key: str, x: float) -> Any:
    # Integer keys (weeks, counts) are rounded: the design stores what actually ran.
    field_ = BY_KEY[key]
    if field_.kind is int:
        return int(min(max(round(x), field_.spec.lo), field_.spec.hi))
    return float(x)


# ---------------------------------------------------------------------------- building
def build_design(*, grid: GridSpec = None, lhs: RangeSpec = None, sobol: RangeSpec = None,
                 samples: int | None = None, root: int = 0, reps: int = 1) -> Design:
    """Check a design request and lay out its points (deterministic in ``root``). A design
    whose points x ``reps`` exceed the sweep's bound is refused before any point is made."""
    grid_, lhs_, sobol_ = parse_grid(grid), parse_ranges(lhs, "--lhs"), parse_ranges(sobol, "--sobol")
    given = [name for name, d in (("--grid", grid_), ("--lhs", lhs_), ("--sobol", sobol_)) if d]
    if len(given) > 1:
        raise ScenarioError(f"got {' and '.join(given)}; allowed: one design kind per sweep",
                            source="design")
    sampled = bool(lhs_ or sobol_)
    if samples is not None and not sampled:
        raise ScenarioError("only applies to --lhs or --sobol; allowed: omit it for a grid",
                            source="--samples")
    if sampled:
        if samples is None:
            raise ScenarioError(f"is required with {given[0]}; allowed: a whole number >= 1",
                                source="--samples")
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ScenarioError(f"got {samples!r}; allowed: a whole number >= 1", source="--samples")

    if grid_:
        checked = _check_grid(grid_)
        check_total_runs(math.prod(len(values) for values in checked.values()), reps)
        keys = tuple(checked)
        points = tuple(itertools.product(*checked.values()))
        return Design("grid", keys, points, {"values": checked})
    if lhs_:
        ranges = _check_ranges(lhs_, "--lhs")
        check_total_runs(samples, reps)
        return _lhs(ranges, samples, root)
    if sobol_:
        ranges = _check_ranges(sobol_, "--sobol")
        if samples & (samples - 1):
            raise ScenarioError(f"got {samples}; allowed: a power of two with --sobol "
                                "(e.g. 64, 128, 256), which Sobol sequences need to be balanced",
                                source="--samples")
        check_total_runs(samples * (2 * len(ranges) + 2), reps)
        return _sobol(ranges, samples, root)
    check_total_runs(1, reps)
    return Design("single", (), ((),), {})


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def check_points(design: Design, base: TradeScenario) -> None:
    """Refuse a design with a point that can never be a valid scenario, naming the first
    such point and the scenario's rule it breaks, before any run starts.

    Each value's own bounds were checked when the design was built and ``base`` passed
    every rule when it was loaded, so only the scenario's rules that tie keys together
    (``check_consistency``) are left: applied to one copy of ``base`` per point, given the
    point's values in turn, without building a model (a few microseconds a point).
    """
    if not design.keys:
        return
    names = [BY_KEY[key].name for key in design.keys]
    probe = base.copy()
    first: tuple[int, ScenarioError] | None = None
    broken = 0
    for index, point in enumerate(design.points):
        for name, value in zip(names, point, strict=True):
            setattr(probe, name, value)
        try:
            check_consistency(probe, "design")
        except ScenarioError as exc:
            broken += 1
            first = first or (index, exc)
    if first is not None:
        index, exc = first
        shown = ", ".join(f"{k}={_shown(v)}" for k, v in design.point(index).items())
        flag = {"grid": "--grid", "lhs": "--lhs", "sobol": "--sobol"}[design.kind]
        raise ScenarioError(f"{flag}: design point {index} ({shown}) can never run "
                            f"({broken:,} of {len(design):,} points cannot): "
                            f"{' '.join(filter(None, (exc.key, exc.detail)))} at every "
                            "point (change the design, or --set the other key)")


def _lhs(ranges: dict[str, tuple[float, float]], n: int, root: int) -> Design:
    rng = design_rng(root)
    columns = []
    for key, (lo, hi) in ranges.items():
        # One stratum per sample in each dimension, a random point inside it, strata shuffled.
        u = (rng.permutation(n) + rng.random(n)) / n
        columns.append([_numeric_value(key, lo + x * (hi - lo)) for x in u])
    points = tuple(zip(*columns, strict=True))
    return Design("lhs", tuple(ranges), points,
                  {"ranges": {k: list(v) for k, v in ranges.items()}, "samples": n})


def _sobol(ranges: dict[str, tuple[float, float]], n: int, root: int) -> Design:
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(ranges), "names": list(ranges),
               "bounds": [list(v) for v in ranges.values()]}
    # calc_second_order=True gives N(2D+2) rows in the order SALib's analyser expects.
    matrix = sobol_sample.sample(problem, n, calc_second_order=True, seed=root)
    keys = tuple(ranges)
    points = tuple(tuple(_numeric_value(k, x) for k, x in zip(keys, row, strict=True))
                   for row in matrix.tolist())
    return Design("sobol", keys, points,
                  {"ranges": {k: list(v) for k, v in ranges.items()}, "samples": n})
