"""Benchmark: the path to certification (scoring.planner) against the engine, same run.

Three assessments, all in memory (the planner is a pure function, like the engine):

* the filled DH Anuppur workbook (6,518 checkpoints, 18 departments, 70 standards), read
  with the project's reader, judged by the DH rule set (nqas-2017-dh);
* a synthetic district hospital: 6,500 checkpoints, 19 departments, 72 standards, answers
  drawn at random (seeded) around a 60% score, same rule set;
* a synthetic AAM sub-centre: 600 checkpoints in one checklist, 50 standards, judged by
  the PHC rule set of 2017 (no AAM-SC rule set is published in machine-readable form; it
  has the same five kinds of criteria).

For each, `rounds` times, `runs` interleaved pairs of: the engine scoring the assessment
and judging it (`engine.score` + `criteria.evaluate`, the baseline) and the planner
solving it (`plan_certification`, which includes the rescoring that verifies its plan).
Targets: the planner's median at most 200x the engine's for a district hospital, 50x for
a sub-centre, in every round.

    .venv/bin/python -m bench.planner_bench [--runs 30] [--rounds 3] [--json] [--write]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    DH_FILLED,
    emit,
    load_average,
    machine,
    ms,
    p95,
    timed_cpu,
    wait_for_quiet,
    write_doc_section,
)

HEADING = "## Path to certification (issue 11)"
TARGETS = {"dh": 200.0, "aam-sc": 50.0}


def _rule_set(code: str):
    from srishti.scoring.criteria import SEED_RULE_SETS, rule_set_from_dict

    return rule_set_from_dict(next(d for d in SEED_RULE_SETS if d["code"] == code))


def anuppur():
    """The filled DH workbook as planner input, or None when it is not available."""
    from srishti.scoring.planner import PlanCheckpoint
    from srishti.workbooks.reader import read_workbook

    if not DH_FILLED.is_file():
        return None
    parsed = read_workbook(DH_FILLED)
    full = max(parsed.levels)
    levels = tuple(sorted(float(v) for v in parsed.levels))
    checkpoints = [
        PlanCheckpoint(key, dep.name, area.letter, std.code, cp.value, levels, full)
        for key, (dep, area, std, cp) in enumerate(
            (dep, area, std, cp) for dep in parsed.departments for area in dep.areas
            for std in area.standards for cp in std.checkpoints)
    ]
    return checkpoints


def synthetic(*, checkpoints: int, departments: int, standards: int, seed: int,
              mean: float = 0.6, critical: tuple[str, ...] = ()):
    """Random answers over a made-up hierarchy: each department holds every standard,
    checkpoints dealt round-robin; about 5% NA, the rest 2 with chance `mean`, else 0 or
    1. The critical standards' codes are among the standards."""
    from srishti.scoring.planner import PlanCheckpoint

    rng = random.Random(seed)
    codes = [f"{'ABCDEFGH'[i % 8]}{i // 8 + 1}" for i in range(standards)]
    for n, code in enumerate(c for c in critical if c not in codes):
        codes[-1 - n] = code
    made = []
    for key in range(checkpoints):
        code = codes[key % standards]
        draw = rng.random()
        value = None if draw < .05 else 2.0 if draw < .05 + mean * .95 else rng.choice([0.0, 1.0])
        made.append(PlanCheckpoint(key, f"Department {key * departments // checkpoints + 1}",
                                   code[0], code, value))
    return made


def cases() -> list[dict[str, Any]]:
    found = []
    dh = _rule_set("nqas-2017-dh")
    real = anuppur()
    if real is not None:
        found.append({"name": "DH Anuppur (filled workbook)", "kind": "dh",
                      "checkpoints": real, "rule_set": dh})
    found.append({"name": "synthetic DH", "kind": "dh", "rule_set": dh,
                  "checkpoints": synthetic(checkpoints=6500, departments=19, standards=72,
                                           seed=11, mean=.5, critical=("A2", "B5", "D10"))})
    found.append({"name": "synthetic AAM-SC", "kind": "aam-sc",
                  "rule_set": _rule_set("nqas-2017-phc"),
                  "checkpoints": synthetic(checkpoints=600, departments=1, standards=50,
                                           seed=12, mean=.5, critical=("A2", "B5", "D8"))})
    return found


def measure(case: dict[str, Any], *, runs: int, rounds: int) -> dict[str, Any]:
    from srishti.scoring.criteria import evaluate
    from srishti.scoring.engine import score
    from srishti.scoring.planner import apply_raises, plan_certification

    checkpoints, rule_set = case["checkpoints"], case["rule_set"]
    scores = apply_raises(checkpoints, ())

    def engine():
        return evaluate(score(scores, rule=rule_set.overall_rule), rule_set)

    def planner():
        return plan_certification(checkpoints, rule_set)

    engine(), planner()  # warm: imports, caches
    results = []
    plan = None
    for _round in range(rounds):
        engine_s, planner_s, planner_cpu = [], [], []
        for _ in range(runs):
            wall, _cpu, _ = timed_cpu(engine)
            engine_s.append(wall)
            wall, cpu, plan = timed_cpu(planner)
            planner_s.append(wall)
            planner_cpu.append(cpu)
        e, p = statistics.median(engine_s), statistics.median(planner_s)
        results.append({"engine_ms": ms(e), "engine_p95_ms": ms(p95(engine_s)),
                        "planner_ms": ms(p), "planner_p95_ms": ms(p95(planner_s)),
                        "planner_cpu_ms": ms(statistics.median(planner_cpu)),
                        "ratio": round(p / e, 1)})
    departments = len({cp.department for cp in checkpoints})
    standards = len({cp.standard for cp in checkpoints})
    target = TARGETS[case["kind"]]
    return {
        "name": case["name"], "kind": case["kind"], "rule_set": rule_set.code,
        "checkpoints": len(checkpoints), "departments": departments, "standards": standards,
        "plan": {"status": plan.status.value, "raises": len(plan.raises), "cost": plan.cost,
                 "bound": plan.bound, "failing_units": len(plan.failing),
                 "verified": bool(plan.verdict and plan.verdict.passed)},
        "rounds": results, "target": target,
        "passed": all(r["ratio"] <= target for r in results),
    }


def run(*, runs: int, rounds: int) -> dict[str, Any]:
    return {"machine": machine(), "runs": runs, "rounds": rounds,
            "results": [measure(case, runs=runs, rounds=rounds) for case in cases()],
            "skipped": [] if DH_FILLED.is_file() else [f"{DH_FILLED.name} not available"],
            "load_average_end": load_average()}


def section(result: dict[str, Any], command: str) -> str:
    if "error" in result:
        return f"{HEADING}\n\n`{command}` failed: {result['error']}\n"
    m = result["machine"]
    lines = [
        HEADING, "",
        f"`{command}` on {m['cpu']}, {m['cores']} cores; Python {m['python']}; load average "
        f"at the end {result['load_average_end']}. Everything in memory: the planner is a "
        "pure function like the engine. Each round times "
        f"{result['runs']} interleaved pairs (engine: `engine.score` + `criteria.evaluate`; "
        "planner: `plan_certification`, HiGHS through scipy, including the rescoring that "
        "verifies its plan); the ratio is of the medians. Targets: at most 200x the engine "
        "for a district hospital, 50x for an AAM sub-centre, in every round.", "",
        "| assessment | checkpoints | departments | standards | plan (checkpoints, status) "
        "| round | engine median | planner median | planner p95 | ratio | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["results"]:
        plan = r["plan"]
        plan_text = f"{plan['raises']}, {plan['status']}"
        for n, figures in enumerate(r["rounds"], start=1):
            first = n == 1
            lines.append(
                f"| {r['name'] if first else ''} | {r['checkpoints'] if first else ''} "
                f"| {r['departments'] if first else ''} | {r['standards'] if first else ''} "
                f"| {plan_text if first else ''} | {n} "
                f"| {figures['engine_ms']} ms | {figures['planner_ms']} ms "
                f"| {figures['planner_p95_ms']} ms | {figures['ratio']}x "
                f"| {r['target']:.0f}x | {'PASS' if figures['ratio'] <= r['target'] else 'MISS'} |")
    for reason in result.get("skipped", []):
        lines += ["", f"Skipped: {reason}."]
    lines += ["", "Every plan above was verified by the engine (every criterion passes with "
              "it applied) and proven optimal (gap 0)."
              if all(r["plan"]["verified"] and r["plan"]["status"] == "optimal"
                     for r in result["results"]) else
              "Not every plan was proven optimal: see the status column."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true",
                        help="put the section into docs/benchmarks.md (replacing it)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="first wait up to this long for the load to fall below "
                        "0.75 x cores")
    args = parser.parse_args(argv)
    if args.wait_quiet > 0:
        wait_for_quiet(args.wait_quiet)
    result = run(runs=args.runs, rounds=args.rounds)
    command = (f".venv/bin/python -m bench.planner_bench --runs {args.runs} "
               f"--rounds {args.rounds}" + (" --write" if args.write else ""))
    if args.json:
        emit(result)
    else:
        print(section(result, command))
    if args.write:
        write_doc_section(HEADING, section(result, command))
    return 0 if all(r["passed"] for r in result["results"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
