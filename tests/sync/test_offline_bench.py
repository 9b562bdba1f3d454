"""The offline benchmark's report: its section renders whatever ran, and is written at the
end of docs/benchmarks.md without touching the other sections. Speed lives in bench/."""

from bench import common, offline_bench


def figures(ms):
    return {"runs": 3, "median_ms": ms, "p95_ms": ms * 1.1, "min_ms": ms, "max_ms": ms}


def data(open_part, sync_part):
    return {"machine": common.machine(), "open": open_part, "sync": sync_part,
            "load_average_end": [0.5, 0.5, 0.5]}


def test_the_section_shows_both_parts_with_ratios_and_verdicts():
    text = offline_bench.section(data(
        {"checkpoints": 600, "answered_on_server": 300, "waiting_on_device": 100,
         "served_by_worker": True, "ratio": 0.8, "passed": True,
         "online": {"ready": figures(400), "dcl": figures(200)},
         "offline": {"ready": figures(320), "dcl": figures(150)}},
        {"database": "postgresql 15", "responses": 6500, "ratio": 6.0, "passed": False,
         "batch_6500": figures(6000), "batches_13x500": figures(7000),
         "baseline_bulk_create": figures(1000)}), "cmd")

    assert text.startswith(offline_bench.HEADING)
    assert "| 0.80x | < 1 s | PASS |" in text
    assert "| 6.00x | < 5 s | FAIL |" in text and "7.00x" in text


def test_a_part_that_could_not_run_says_why():
    text = offline_bench.section(data(common.skipped("no chromium"),
                                      {"error": "exited with status 1"}), "cmd")
    assert "Not measured: no chromium" in text and "Not measured: exited" in text


def test_writing_the_section_replaces_only_its_own(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## 1. Import\n\nfigures\n")

    offline_bench.write_section(f"{offline_bench.HEADING}\n\nfirst\n\n### part\n\nx\n", doc)
    offline_bench.write_section(f"{offline_bench.HEADING}\n\nsecond\n", doc)

    text = doc.read_text()
    assert text.startswith("# Benchmarks\n\n## 1. Import\n\nfigures\n")
    assert text.count(offline_bench.HEADING) == 1
    assert "second" in text and "first" not in text and "### part" not in text
