"""``negotiate report DIR``: what a sweep says, in tables, figures and one paragraph.

Reads only the columns it needs from the chunk files. Writes ``report.md`` (the paragraph,
then every table, with links to the figures), ``tables/*.csv`` and ``tables/*.md`` and
``figures/*.png``, all or nothing: the files are made in a temporary folder, then renamed
into place. A folder holding an earlier report's files is refused unless ``--force``, as
``negotiate run --out`` refuses an earlier run's tables (both through ``tablefolder``).
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ..errors import literal_line
from ..oserrors import os_failure, require_folder_path
from ..outcome import OUTCOME_LABELS, OUTCOMES
from ..tablefolder import check_free, place_all
from . import figures
from .design import Design
from .lock import readable_chunks
from .rows import PARAM_PREFIX
from .stats import binned, outcome_shares, sobol_indices
from .store import Store, SweepError, missing_folders, remove_created

BINS = 5
REPORT_FILE = "report.md"
#: How a refusal to replace an earlier report words it (see ``tablefolder.check_free``).
_EARLIER = {"what": "a report", "names": "report file names", "earlier": "an earlier report"}


@dataclass
class Report:
    path: Path
    paragraph: str
    files: list[Path] = field(default_factory=list)


def _fmt(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return str(value)


def _pct(share: float) -> str:
    return "n/a" if not math.isfinite(share) else f"{share:.0%}"


def _cell(row: pd.Series) -> str:
    if not math.isfinite(row["share"]):
        return "n/a"
    return f"{row['share']:.0%} ({row['ci_low']:.0%}–{row['ci_high']:.0%})"


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        self.tables = out / "tables"
        self.figures = out / "figures"
        self.tables.mkdir(parents=True, exist_ok=True)
        self.figures.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self.sections: list[str] = []

    def table(self, name: str, title: str, long: pd.DataFrame, shown: pd.DataFrame,
              note: str = "") -> None:
        csv, md = self.tables / f"{name}.csv", self.tables / f"{name}.md"
        long.to_csv(csv, index=False)
        text = markdown_table(shown)
        md.write_text(f"# {title}\n\n{note}\n\n{text}\n" if note else f"# {title}\n\n{text}\n")
        self.files += [csv, md]
        self.sections.append(f"## {title}\n\n{note + chr(10) + chr(10) if note else ''}{text}\n\n"
                             f"Table: [`tables/{name}.csv`](tables/{name}.csv)\n")

    def figure(self, path: Path, caption: str) -> None:
        self.files.append(path)
        self.sections.append(f"![{caption}](figures/{path.name})\n")


def _wide(shares: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    rows = []
    for value, group in shares.groupby(column, sort=False):
        by_outcome = group.set_index("outcome")
        row = {label: value, "runs": int(group["runs"].iloc[0]), "failed": int(group["failed"].iloc[0])}
        for outcome in OUTCOMES:
            row[OUTCOME_LABELS[outcome]] = _cell(by_outcome.loc[outcome])
        rows.append(row)
    return pd.DataFrame(rows)


def _load(store: Store, design: Design) -> pd.DataFrame:
    files = readable_chunks(store, _say)
    if not files:
        raise SweepError(f"{store.root} has no summary chunk files; allowed: a folder written by "
                         "'negotiate sweep'")
    columns = ["run_id", "point", "rep", "error", "outcome", "detente_mean", "weeks"]
    columns += [PARAM_PREFIX + k for k in design.keys]
    table = pq.ParquetDataset([str(f) for f in files]).read(columns=columns)
    return table.to_pandas().sort_values("run_id", kind="stable").reset_index(drop=True)


def _say(line: str) -> None:
    # These lines name folders and files the user chose: shown as text, never acted on.
    print(literal_line(f"negotiate report: {line}"), file=sys.stderr, flush=True)


def write_report(folder: str | Path, out: str | Path | None = None, *,
                 force: bool = False) -> Report:
    """Write the report of the sweep in ``folder`` (to ``folder/report`` unless ``out``).

    A folder that holds an earlier report's files is refused unless ``force``, which
    replaces them; either way the report is written all or nothing.
    """
    target = require_folder_path(Path(folder) / "report" if out is None else out, "--out")
    # The common refusal before the work; all the report's names are checked once known.
    check_free(target, [target / REPORT_FILE], force=force, **_EARLIER)
    try:
        return _write_report(Store(folder), target, force)
    except OSError as exc:
        raise os_failure(exc, target) from None


def _write_report(store: Store, target: Path, force: bool) -> Report:
    folder = store.root
    manifest = store.read_manifest()
    if manifest is None:
        raise SweepError(f"{folder} has no manifest.json; allowed: a folder written by "
                         "'negotiate sweep'")
    design = Design.from_json(manifest["design"])
    frame = _load(store, design)
    folders = missing_folders(target)
    made: list[Path] = []
    stage: Path | None = None
    placed = False
    try:
        target.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".report-", dir=target))
        paragraph, written = _compose(manifest, design, frame, stage)
        staged = [(path, target / path.relative_to(stage)) for path in written]
        check_free(target, [final for _, final in staged], force=force, **_EARLIER)
        for sub in sorted({final.parent for _, final in staged} - {target}):
            if not sub.is_dir():
                sub.mkdir()
                made.append(sub)
        place_all(staged, target)
        placed = True
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if not placed:  # a refusal or a failure leaves the folder as it was
            remove_created([*made, *folders])
    return Report(target / REPORT_FILE, paragraph, [final for _, final in staged])


def _compose(manifest: dict[str, Any], design: Design, frame: pd.DataFrame,
             stage: Path) -> tuple[str, list[Path]]:
    """Write the whole report into ``stage``; return its paragraph and its files, report.md
    first."""
    writer = _Writer(stage)
    total = int(manifest.get("total_runs", len(frame)))
    facts: dict[str, Any] = {"total": total, "present": len(frame),
                             "failed": int(frame["error"].notna().sum())}

    overall = outcome_shares(frame.assign(sweep="all runs"), ["sweep"])
    facts["overall"] = overall.set_index("outcome")
    writer.table("outcomes_overall", "Outcomes over all runs",
                 overall.drop(columns="sweep"), _wide(overall, "sweep", "runs in"))

    facts["effects"] = []
    for key in design.keys:
        column = PARAM_PREFIX + key
        note = ""
        grouped = frame
        if design.kind in ("lhs", "sobol"):
            lo, hi = design.request["ranges"][key]
            grouped = frame.assign(**{column: binned(frame[column], lo, hi, BINS)})
            note = (f"{key} was sampled from {lo:g} to {hi:g}; runs are grouped into {BINS} "
                    "equal-width bins, labelled by their middle.")
        shares = outcome_shares(grouped, [column]).rename(columns={column: key})
        name = "outcomes_by_" + key.replace(".", "_")
        writer.table(name, f"Outcomes by {key}", shares, _wide(shares, key, key), note)
        writer.figure(figures.shares_figure(shares, key, key, writer.figures / f"{name}.png"),
                      f"Outcome shares by {key}")
        holds = shares[shares["outcome"] == "detente_holds"].dropna(subset=["share"])
        if len(holds) > 1:
            best, worst = holds.loc[holds["share"].idxmax()], holds.loc[holds["share"].idxmin()]
            facts["effects"].append((best["share"] - worst["share"], key, best, worst))

    if design.kind == "grid" and len(design.keys) == 2:
        facts["best_cell"] = _heatmap(frame, design, writer)
    if design.kind == "sobol":
        facts["sobol"] = _sobol(frame, design, manifest, writer, total)

    paragraph = _paragraph(manifest, design, facts)
    lines = [f"# Sweep report: {manifest.get('scenario', '?')}", "", paragraph, "",
             f"Design `{design.kind}` over {', '.join(design.keys) or 'no parameters'}; "
             f"{len(design):,} design points × {manifest.get('reps')} replications; root seed "
             f"{manifest.get('seed')}; version {manifest.get('version')}; design hash "
             f"`{manifest.get('design_hash', '')[:12]}`.", "",
             f"Command: `{manifest.get('command', '')}`", "", *writer.sections]
    path = stage / REPORT_FILE
    path.write_text("\n".join(lines))
    return paragraph, [path, *writer.files]


def _heatmap(frame: pd.DataFrame, design: Design, writer: _Writer) -> dict[str, Any]:
    rows_key, cols_key = design.keys
    rcol, ccol = PARAM_PREFIX + rows_key, PARAM_PREFIX + cols_key
    shares = outcome_shares(frame, [rcol, ccol]).rename(columns={rcol: rows_key, ccol: cols_key})
    holds = shares[shares["outcome"] == "detente_holds"]
    ok = frame[frame["error"].isna()]
    mean_index = ok.groupby([rcol, ccol])["detente_mean"].mean()
    row_values, col_values = design.request["values"][rows_key], design.request["values"][cols_key]
    share_grid = holds.pivot(index=rows_key, columns=cols_key, values="share").reindex(
        index=row_values, columns=col_values)
    index_grid = mean_index.unstack().reindex(index=row_values, columns=col_values)
    long = holds.merge(mean_index.rename("mean_detente_index").rename_axis([rows_key, cols_key])
                       .reset_index(), on=[rows_key, cols_key], how="left")
    shown = pd.DataFrame({rows_key: row_values})
    for value in col_values:
        cells = holds[holds[cols_key] == value].set_index(rows_key).reindex(row_values)
        shown[f"{cols_key}={_fmt(value)}"] = [_cell(r) for _, r in cells.iterrows()]
    writer.table("heatmap_detente_holds", f"Détente holds by {rows_key} × {cols_key}",
                 long, shown, "Share of runs in which détente held (Wilson 95% interval).")
    writer.figure(figures.heatmap_figure(share_grid, index_grid, rows_key, cols_key,
                                         writer.figures / "heatmap_detente_holds.png"),
                  f"Détente holds by {rows_key} and {cols_key}")
    valid = holds.dropna(subset=["share"])
    top = valid[valid["share"] == valid["share"].max()]
    best = top.iloc[0]
    worst = valid.sort_values("share", kind="stable").iloc[0]
    return {"rows": rows_key, "cols": cols_key, "cells": len(valid), "ties": top, "worst": worst,
            "row": best[rows_key], "col": best[cols_key],
            "share": best["share"], "low": best["ci_low"], "high": best["ci_high"]}


def _sobol(frame: pd.DataFrame, design: Design, manifest: dict[str, Any], writer: _Writer,
           total: int) -> dict[str, Any] | None:
    problem = design.sobol_problem()
    n_points = len(design)
    if len(frame) < total:
        writer.sections.append("## Sobol indices\n\nNot computed: the sweep is incomplete "
                               f"({len(frame):,} of {total:,} runs). Finish it with --resume.\n")
        return None
    ok = frame[frame["error"].isna()].copy()
    ok["holds"] = (ok["outcome"] == "detente_holds").astype(float)
    # A stochastic model: average the replications of each design point first, then analyse
    # the N(2D+2) point means in the sampler's order.
    means = ok.groupby("point")[["detente_mean", "holds"]].mean().reindex(range(n_points))
    if means.isna().any().any():
        writer.sections.append("## Sobol indices\n\nNot computed: some design points have no "
                               "successful run.\n")
        return None
    tables = []
    for output, label in (("detente_mean", "mean détente index"),
                          ("holds", "share of runs where détente holds")):
        indices = sobol_indices(problem, means[output].to_numpy(), seed=int(manifest.get("seed", 0)))
        indices.insert(0, "output", label)
        tables.append(indices)
        if output == "detente_mean":
            writer.figure(figures.sobol_figure(indices, label, writer.figures / "sobol_indices.png"),
                          "Sobol indices of the mean détente index")
    long = pd.concat(tables, ignore_index=True)
    shown = long.copy()
    for col in ("S1", "S1_conf", "ST", "ST_conf"):
        shown[col] = shown[col].map(lambda v: f"{v:.3f}")
    writer.table("sobol_indices", "Sobol indices (SALib)", long, shown,
                 f"Replications averaged per design point; {n_points:,} points = N(2D+2) with "
                 f"N={design.request['samples']}, D={len(design.keys)}. Small N can give "
                 "negative or noisy indices; read the intervals (±conf, 95%).")
    main = tables[0].sort_values("ST", ascending=False).iloc[0]
    wide = bool((tables[0]["ST_conf"] > 0.5 * tables[0]["ST"].abs()).any())
    return {"parameter": main["parameter"], "ST": main["ST"], "S1": main["S1"], "wide": wide}


def _paragraph(manifest: dict[str, Any], design: Design, facts: dict[str, Any]) -> str:
    overall = facts["overall"]
    reps = manifest.get("reps")
    weeks = manifest.get("sets", {}).get("weeks") or manifest.get("scenario_params", {}).get("weeks")
    holds = overall.loc["detente_holds"]
    parts = [
        f"This sweep ran {facts['present']:,} runs of the scenario {manifest.get('scenario')} "
        f"({len(design):,} parameter settings, each repeated {reps} times with its own seed"
        + (f", {weeks} weeks each" if weeks else "") + ").",
    ]
    if facts["present"] < facts["total"]:
        parts.append(f"It is incomplete: {facts['total'] - facts['present']:,} of "
                     f"{facts['total']:,} planned runs are missing (finish it with --resume).")
    if facts["failed"]:
        parts.append(f"{facts['failed']:,} runs failed with an error and are left out of the "
                     "shares (see the error column).")
    parts.append(
        f"Across all runs détente held in {_pct(holds['share'])} of them (95% interval "
        f"{_pct(holds['ci_low'])}–{_pct(holds['ci_high'])}), ended as a fragile truce in "
        f"{_pct(overall.loc['fragile_truce', 'share'])} and friction returned in "
        f"{_pct(overall.loc['friction_returns', 'share'])}.")
    if facts["effects"]:
        _, key, best, worst = max(facts["effects"], key=lambda e: e[0])
        at = "around " if design.kind in ("lhs", "sobol") else ""
        parts.append(
            f"The setting that moved the chance of détente most was {key}: it held in "
            f"{_pct(best['share'])} of runs at {at}{_fmt(best[key])} but "
            f"{_pct(worst['share'])} at {at}{_fmt(worst[key])}.")
    best_cell = facts.get("best_cell")
    if best_cell:
        parts.append(_best_cells(best_cell))
    sobol = facts.get("sobol")
    if sobol:
        parts.append(
            f"In the Sobol analysis {sobol['parameter']} accounts for the largest part of the "
            f"variation in the mean détente index (total index {sobol['ST']:.2f}, first-order "
            f"{sobol['S1']:.2f}); a total index well above the first-order one means it acts "
            "mostly through interactions."
            + (" The intervals are wide, so take this as a hint and rerun with a larger "
               "--samples before relying on it." if sobol["wide"] else ""))
    parts.append("Shares come with Wilson 95% intervals: where intervals overlap, the sweep "
                 "cannot tell the settings apart, and more replications would.")
    return " ".join(parts)


def _best_cells(best: dict[str, Any]) -> str:
    ties, rows, cols = best["ties"], best["rows"], best["cols"]
    result = (f"détente held in {_pct(best['share'])} of runs "
              f"({_pct(best['low'])}–{_pct(best['high'])})")
    if len(ties) == 1:
        worst = best["worst"]
        return (f"The best combination was {rows} = {_fmt(best['row'])} with {cols} = "
                f"{_fmt(best['col'])}: {result}; the worst was {rows} = {_fmt(worst[rows])} "
                f"with {cols} = {_fmt(worst[cols])}: {_pct(worst['share'])}.")
    # Several cells share the top share: say what they have in common instead of picking one.
    common = [f"{key} = {_fmt(ties[key].iloc[0])}" for key in (rows, cols)
              if ties[key].nunique() == 1]
    shared = f", all with {common[0]}" if common else ""
    worst = best["worst"]
    return (f"The best result, {result}, came in {len(ties)} of the {best['cells']} "
            f"combinations{shared}; the worst was {rows} = {_fmt(worst[rows])} with {cols} = "
            f"{_fmt(worst[cols])}: {_pct(worst['share'])} "
            f"({_pct(worst['ci_low'])}–{_pct(worst['ci_high'])}).")
