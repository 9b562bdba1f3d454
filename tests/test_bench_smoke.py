"""The benchmarks still run. Speed targets live in bench/ and docs/benchmarks.md, never here:
these tests check that the code runs and returns figures, not how fast."""

import datetime as dt

import pytest

from bench import common, import_bench, report, scorecard_bench, scoring_bench
from bench.run import analysis
from srishti.assessments.services import assessment_create, responses_import
from tests.factories import FacilityFactory

SCORING_CASES = ("baseline_get", "engine_only", "fetch", "scorecard", "rescore",
                 "rescore_all_rows")


def test_summary_gives_median_and_nearest_rank_p95_in_milliseconds():
    seconds = [n / 1000 for n in range(1, 21)]  # 1..20 ms

    figures = common.summary(seconds)

    assert figures["runs"] == 20
    assert figures["median_ms"] == 10.5
    assert figures["p95_ms"] == 19.0
    assert (figures["min_ms"], figures["max_ms"]) == (1.0, 20.0)


def test_the_machine_description_names_cpu_cores_and_versions():
    described = common.machine()

    assert described["cores"] >= 1
    assert described["cpu"] and described["python"] and described["sqlite"]
    assert described["django"].startswith("5.")


@pytest.mark.django_db
def test_the_scoring_benchmark_runs_on_the_demo_checklist_and_returns_figures(demo_version):
    assessment = assessment_create(facility=FacilityFactory(), version=demo_version,
                                   start_date=dt.date(2024, 3, 1))
    ids = demo_version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[
        (cid, (2, 1, 0, None)[i % 4], "") for i, cid in enumerate(ids)])

    result = scoring_bench.measure(assessment, runs=2, show_progress=False)

    assert result["checkpoints"] == 533
    assert result["score_rows"] > 0
    for case in SCORING_CASES:
        assert result["figures"][case]["runs"] == 2
        assert result["figures"][case]["median_ms"] > 0
    assert set(result["passed"]) == {"scorecard", "rescore"}
    table = report.scoring_table([{**result, "database": "sqlite"}])
    assert "assessment_rescore" in table and "p95 < 50 ms" in table


def test_the_report_renders_every_part_when_all_were_skipped():
    data = {
        "machine": common.machine(),
        "import": [common.skipped("no workbooks"), {"error": "exited with status 1"}],
        "scoring": [common.skipped("no PostgreSQL")],
        "scorecard": common.skipped("no workbooks"),
    }

    text = report.document(data, command="bench/run.py --write", analysis=analysis(data))

    assert text.startswith("# Benchmarks")
    assert "skipped, no workbooks" in text and "failed, exited with status 1" in text
    assert "Targets missed" not in text


def test_the_benchmark_modules_name_their_targets():
    assert import_bench.TARGET_RATIOS == {"sqlite": 2.0, "postgresql": 3.0}
    assert scoring_bench.TARGET_MS == 50.0
    assert scorecard_bench.TARGET_SPEEDUP == 15.0


def test_the_capture_page_benchmark_runs_and_reports_its_figures():
    """Runs in its own process (it sets Django up with its own settings)."""
    import json
    import subprocess
    import sys

    from bench.common import REPO

    done = subprocess.run([sys.executable, "-m", "bench.capture_page", "--runs", "2",
                           "--checkpoints", "40", "--json"], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["checkpoints"] == 40
    assert set(result["results"]) >= {"capture page", "baseline: log-in page"}
    from bench import capture_page

    assert "| capture page |" in capture_page.section(result, "test")


def test_a_section_of_the_doc_reads_back_up_to_the_next_heading(tmp_path):
    from bench.common import read_doc_section, write_doc_section

    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## One\n\nfirst\n\n## Two\n\nsecond\n")
    write_doc_section("## Three", "## Three\n\nthird", doc=doc)

    assert read_doc_section("## Two", doc=doc) == "## Two\n\nsecond\n"
    assert read_doc_section("## One", doc=doc) == "## One\n\nfirst\n"
    assert read_doc_section("## Three", doc=doc) == "## Three\n\nthird\n"
    assert read_doc_section("## Four", doc=doc) is None


def test_the_planner_benchmark_runs_every_case_and_reports_its_figures():
    from bench import planner_bench

    result = planner_bench.run(runs=1, rounds=1)
    names = [r["name"] for r in result["results"]]
    assert names[-2:] == ["synthetic DH", "synthetic AAM-SC"]
    for r in result["results"]:
        assert r["plan"]["verified"] and r["plan"]["raises"] > 0
        assert r["rounds"][0]["engine_ms"] > 0 and r["rounds"][0]["ratio"] > 0
    assert {(r["checkpoints"], r["standards"]) for r in result["results"][-2:]} == {
        (6500, 72), (600, 50)}
    assert "| synthetic AAM-SC | 600 | 1 | 50 |" in planner_bench.section(result, "test")
    assert planner_bench.TARGETS == {"dh": 200.0, "aam-sc": 50.0}


@pytest.mark.django_db
def test_the_aam_sc_benchmark_builds_a_sub_centre_of_the_official_size_and_measures_it():
    from bench import aam_sc_bench

    parsed, tags, themes = aam_sc_bench.generated_checklist()
    checkpoints = [cp for d in parsed.departments for a in d.areas for s in a.standards
                   for cp in s.checkpoints]
    assert len(checkpoints) == len(tags) == 582 and tags.count("All") == 451
    assert sum(len(a.standards) for a in parsed.departments[0].areas) == 50
    assert (len(themes), sum(t.mandatory for t in themes)) == (12, 7)

    assessment = aam_sc_bench.build()
    result = scoring_bench.measure(assessment, runs=2, show_progress=False)
    assert result["checkpoints"] == 582
    assert set(result["figures"]) == set(SCORING_CASES)
