"""The output folder: chunk planning, atomic files, manifests and refusing the wrong folder."""

from __future__ import annotations

import json

import pytest
from sweephelpers import SCENARIO

from negotiate.errors import NegotiateError
from negotiate.sweep.api import run_sweep
from negotiate.sweep.store import Store, missing_ranges, plan_chunks

SMALL = {"grid": ["noise.perception=0.02,0.2"], "reps": 3, "seed": 5, "weeks": 4}


def test_plan_covers_exactly_the_gaps_whatever_the_chunk_size():
    done = [(0, 10), (20, 25), (40, 50)]
    assert list(missing_ranges(50, done)) == [(10, 20), (25, 40)]
    for size in (1, 3, 7, 100):
        chunks = list(plan_chunks(50, done, size))
        covered = [i for a, b in chunks for i in range(a, b)]
        assert covered == list(range(10, 20)) + list(range(25, 40))
        assert all(b - a <= size for a, b in chunks)


def test_tapered_plan_covers_the_gaps_and_ends_in_small_chunks():
    done = [(0, 10), (5_000, 5_020)]
    chunks = list(plan_chunks(10_000, done, 300, taper_workers=2))
    covered = [i for a, b in chunks for i in range(a, b)]
    assert covered == list(range(10, 5_000)) + list(range(5_020, 10_000))
    sizes = [b - a for a, b in chunks]
    assert max(sizes) == 300 and sizes[0] == 300
    # the last chunks, as the workers run out of work, are at most an eighth of the size
    assert all(size <= 300 // 8 for size in sizes[-3:])
    assert sizes[-4:-1] == sorted(sizes[-4:-1], reverse=True)
    assert min(sizes[:-1]) >= 300 // 8
    # without workers to balance, the plan is plain
    assert [b - a for a, b in plan_chunks(1_000, [], 300)] == [300, 300, 300, 100]


def test_overlapping_chunk_files_are_refused():
    with pytest.raises(NegotiateError, match="overlap"):
        list(missing_ranges(30, [(0, 10), (5, 15)]))


def test_chunks_are_renamed_into_place_and_stray_temporaries_are_removed(tmp_path):
    store = Store(tmp_path)
    store.prepare(timeseries=False)
    stray = store.summary_dir / ".runs-0000000000-0000000002.parquet.999.tmp"
    stray.write_bytes(b"half a file")
    store.prepare(timeseries=False)
    assert not stray.exists()
    store.write_chunk(0, 2, b"data")
    assert [p.name for p in store.summary_dir.iterdir()] == ["runs-0000000000-0000000002.parquet"]
    assert store.done_ranges() == [(0, 2)]


def test_manifest_records_design_hash_scenario_version_and_command(tmp_path):
    run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, command=["negotiate", "sweep", "x"],
              **SMALL)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["scenario"] == SCENARIO
    assert manifest["version"]
    assert len(manifest["design_hash"]) == 64
    assert manifest["design"]["kind"] == "grid"
    assert manifest["design"]["points"] == [[0.02], [0.2]]
    assert manifest["command"] == "negotiate sweep x"
    assert manifest["total_runs"] == 6 and manifest["complete"] is True
    assert manifest["scenario_params"]["title"]  # free text lives here, not in every row


def test_an_existing_sweep_folder_needs_resume(tmp_path):
    run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, **SMALL)
    with pytest.raises(NegotiateError, match="already holds a sweep.*--resume"):
        run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, **SMALL)
    # the same design resumes (nothing left to do) without complaint
    run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, resume=True, **SMALL)


@pytest.mark.parametrize(("change", "named"), [
    ({"grid": ["noise.perception=0.02,0.3"]}, "design"),
    ({"reps": 4}, "reps"),
    ({"seed": 6}, "seed"),
    ({"weeks": 5}, "sets"),
])
def test_resuming_into_a_different_design_is_refused(tmp_path, change, named):
    run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, **SMALL)
    before = sorted(p.name for p in (tmp_path / "summary").iterdir())
    with pytest.raises(NegotiateError) as info:
        run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, resume=True, **{**SMALL, **change})
    message = str(info.value)
    assert "different sweep" in message and named in message and "new --out" in message
    assert sorted(p.name for p in (tmp_path / "summary").iterdir()) == before


@pytest.fixture(scope="module")
def written_manifest(tmp_path_factory):
    out = tmp_path_factory.mktemp("manifest")
    run_sweep(SCENARIO, out=out, workers=1, quiet=True, **{**SMALL, "reps": 1, "weeks": 1})
    return json.loads((out / "manifest.json").read_text())


def _without(manifest, name):
    return {k: v for k, v in manifest.items() if k != name}


@pytest.mark.parametrize(("broken", "named"), [
    (lambda m: {}, "no 'format'"),
    (lambda m: [], "a list, not an object"),
    (lambda m: "text", "text, not an object"),
    (lambda m: _without(m, "design"), "no 'design'"),
    (lambda m: {**m, "resumed": {}}, "'resumed' is not a list"),
    (lambda m: {**m, "reps": True}, "'reps' is not a whole number"),
    (lambda m: {**m, "design": {**m["design"], "points": [[0.1, 2]]}}, "design 'points'"),
    (lambda m: {**m, "design": {**m["design"], "kind": "maze"}}, "design kind 'maze'"),
    (lambda m: {**m, "design": {**m["design"], "request": {}}}, "list of values"),
    (lambda m: {**m, "total_runs": 7}, "'total_runs' 7 is not 2 points x 1 reps"),
], ids=["empty", "list", "text", "no-design", "resumed", "reps", "points", "kind", "request",
        "total"])
def test_a_file_that_is_not_a_sweeps_manifest_is_one_line_for_report_and_sweep(
        tmp_path, written_manifest, broken, named):
    from negotiate.sweep.report import write_report

    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(broken(written_manifest)))
    before = manifest.read_bytes()
    for call in (lambda: write_report(tmp_path, tmp_path / "rep"),
                 lambda: run_sweep(SCENARIO, out=tmp_path, workers=1, quiet=True, resume=True,
                                   **{**SMALL, "reps": 1, "weeks": 1})):
        with pytest.raises(NegotiateError) as info:
            call()
        message = str(info.value)
        assert "is not a sweep's manifest" in message and named in message, message
        assert "written by 'negotiate sweep'" in message
    assert manifest.read_bytes() == before
    assert not (tmp_path / "rep").exists()


def _contents(folder):
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def _users_folder(tmp_path):
    out = tmp_path / "out"
    (out / "summary").mkdir(parents=True)
    (out / "timeseries").mkdir()
    (out / "summary" / "mine.csv").write_text("mine")
    (out / "timeseries" / "t.csv").write_text("ts")
    return out


@pytest.mark.parametrize(("bad", "named"), [
    ({"scheduler": "garbage"}, "--scheduler"),
    ({"workers": 10**21}, "--workers"),
    ({"backend": "ray"}, "--backend"),
    ({}, "did not write (summary/mine.csv, timeseries/t.csv)"),
], ids=["scheduler", "workers", "backend", "foreign-files"])
def test_a_refused_sweep_leaves_someone_elses_folder_as_it_was(tmp_path, bad, named):
    out = _users_folder(tmp_path)
    before = _contents(out)
    with pytest.raises(NegotiateError) as info:
        run_sweep(SCENARIO, out=out, quiet=True, **{"workers": 1, **SMALL, **bad})
    assert named in str(info.value)
    assert _contents(out) == before  # nothing deleted, and no stray .writer.lock


def test_a_refused_sweep_keeps_the_finished_sweep_and_its_writer_record(tmp_path,
                                                                       written_manifest):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(written_manifest))
    (out / "writer.json").write_text('{"pid": 1}')
    before = _contents(out)
    with pytest.raises(NegotiateError, match="already holds a sweep"):
        run_sweep(SCENARIO, out=out, workers=1, quiet=True, **SMALL)
    assert _contents(out) == before


def test_a_failed_fresh_start_removes_only_what_it_created(tmp_path, monkeypatch):
    import negotiate.sweep.api as api
    from negotiate.sweep.store import SweepIncomplete

    def unreachable(*args, **kwargs):
        raise SweepIncomplete("cannot reach the cluster")

    monkeypatch.setattr(api, "make_backend", unreachable)
    out = tmp_path / "out"
    (out / "report").mkdir(parents=True)
    (out / "notes.txt").write_text("keep")
    (out / "report" / ".draft.tmp").write_text("keep too")
    before = _contents(out)
    with pytest.raises(SweepIncomplete):
        run_sweep(SCENARIO, out=out, workers=1, quiet=True, **SMALL)
    assert _contents(out) == before
    with pytest.raises(SweepIncomplete):
        run_sweep(SCENARIO, out=tmp_path / "new" / "sweep", workers=1, quiet=True, **SMALL)
    assert not (tmp_path / "new").exists()  # nor the parent made for it
