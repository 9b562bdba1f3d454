"""Plain-text tables for people reading the CLI's output."""

from __future__ import annotations

from typing import Any


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}%"


def render(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def scorecard_table(result: dict[str, Any], *, title: str) -> str:
    rows = [
        [d["name"], str(d["checkpoints_scored"]), str(d["checkpoints_not_applicable"]),
         f"{d['obtained']}/{d['maximum']}", pct(d["score"])]
        for d in result["departments"]
    ]
    facility = result["facility"]
    out = [title, "", render(rows, ["Department", "Scored", "NA", "Points", "Score"]), ""]
    out.append(f"Facility: {pct(facility['pooled'])} pooled over all checkpoints "
               f"({facility['obtained']}/{facility['maximum']}); "
               f"mean of departments {pct(facility['mean_of_departments'])}; "
               f"rule used: {facility['rule']}")
    areas = result["areas"]
    out.append("Areas of concern: " + ", ".join(f"{k} {pct(v['score'])}" for k, v in areas.items()))
    cert = result.get("certification")
    if cert:
        out += ["", f"Certification ({cert['rule_set']}): {cert['verdict'].upper()}"]
        for c in cert["criteria"]:
            mark = "pass" if c["passed"] else "FAIL"
            out.append(f"  [{mark}] {c['name']} >= {c['threshold']}: lowest {pct(c['value'])}")
            for s in c["shortfalls"][:5]:
                missing = ("" if s["points_missing"] is None
                           else f", {s['points_missing']} points missing")
                out.append(f"         {s['unit']}: {pct(s['score'])}{missing}")
            if len(c["shortfalls"]) > 5:
                out.append(f"         ... and {len(c['shortfalls']) - 5} more")
    slips = result.get("workbook_slips", [])
    if slips:
        out += ["", f"Workbook formulas that disagree with the compliance cells ({len(slips)}):"]
        for s in slips:
            out.append(f"  {s['department']} {s['standard']}: workbook "
                       f"{s['workbook']['obtained']}/{s['workbook']['maximum']}, computed "
                       f"{s['computed']['obtained']}/{s['computed']['maximum']}")
    if result.get("warnings"):
        warnings = result["warnings"]
        out += ["", f"Warnings ({len(warnings)}):", *(f"  {w}" for w in warnings)]
    return "\n".join(out)


def structure_table(summary: dict[str, Any], *, dry_run: bool) -> str:
    rows = [
        [d["name"], str(d["areas"]), str(d["standards"]), str(d["measurable_elements"]),
         str(d["checkpoints"])]
        for d in summary["departments"]
    ]
    said = [summary.get("version_name"), summary.get("tool"), summary.get("facility_type")]
    out = [f"Workbook: {' / '.join(str(s) for s in said if s)}"] if any(said) else []
    out += [render(rows, ["Department", "Areas", "Standards", "MEs", "Checkpoints"]), ""]
    out.append(f"{len(rows)} departments, {summary['checkpoints']} checkpoints")
    for group in summary.get("groups", []):
        out.append(f"Group {group['name']}: {', '.join(group['departments'])}")
    if summary["warnings"]:
        out += [f"Warnings ({len(summary['warnings'])}):", *(f"  {w}" for w in summary["warnings"])]
    if dry_run:
        out.append("Dry run: nothing was written.")
    elif summary.get("created"):
        out.append(f"Created checklist version {summary['created']['label']} "
                   f"(id {summary['created']['id']}).")
    return "\n".join(out)
