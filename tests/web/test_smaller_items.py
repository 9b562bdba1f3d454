"""The smaller defects of the pages: one date format, far-from-target rows that say what
they fail, a missed deadline flagged, a named heat map, NQAS first, trends by date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from srishti.assessments.services import assessment_create, responses_import
from srishti.certification.services import mission_target_create
from srishti.checklists.models import Tool
from srishti.core.charts import Series, line_chart
from tests.factories import submitted

TEMPLATES = Path(__file__).resolve().parents[2] / "srishti"


def answer_all(assessment, value):
    """Answer every checkpoint with `value` and submit (only submitted assessments count)."""
    checkpoints = assessment.version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[(c, value, "") for c in checkpoints])
    return submitted(assessment)


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("language,expected", [("en", "5 Dec 2026"), ("hi", "5 दिस् 2026")])
def test_a_date_reads_the_same_way_everywhere(language, expected):
    day = dt.date(2026, 12, 5)
    with translation.override(language):
        shown = {Template("{{ d }}").render(Context({"d": day})),
                 Template("{{ d|date }}").render(Context({"d": day})),
                 Template('{{ d|date:"j M Y" }}').render(Context({"d": day})),
                 date_format(day)}
    assert shown == {expected}


def test_a_time_is_shown_in_india_in_the_same_format():
    moment = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC)
    assert Template("{{ t }}").render(Context({"t": moment})) == "6 Dec 2026, 01:30"


# Formats a template may still name: machine ones (inputs, attributes) and month labels.
ALLOWED_DATE_ARGS = {"j M Y", "j M Y, H:i", "j M Y, H:i:s", "j M", "M Y", "M y", "M", "F Y",
                     "Y-m-d", "c"}


def test_no_template_writes_a_date_its_own_way():
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        for arg in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if arg not in ALLOWED_DATE_ARGS:
                found.setdefault(arg, []).append(path.name)
    assert found == {}


# --- targets -----------------------------------------------------------------------------

@pytest.fixture
def far_and_late(cast, demo_version):
    """Facility F far from a state target (every answer 0) whose deadline has passed."""
    answer_all(assessment_create(facility=cast.f, version=demo_version,
                                 start_date=dt.date(2024, 5, 1)), 0)
    cast.target = mission_target_create(
        name="Two ready", tool=Tool.objects.get(code="NQAS"), count=2,
        start=dt.date(2024, 1, 1), deadline=dt.date(2024, 12, 31), state=cast.x.state)
    return cast


def test_far_from_the_target_rows_name_the_criteria_they_fail(client, far_and_late):
    client.force_login(far_and_late.state_admin)
    page = client.get(reverse("mission-target-progress", args=[far_and_late.target.pk]))
    [far] = [rows for code, _title, rows in page.context["groups"] if code == "far"]
    [row] = far
    assert row.facility == far_and_late.f and row.failing
    assert {f.kind for f in row.failing} >= {"overall"}
    section = page.content.decode().split('id="far"')[1]
    assert '<ul class="failing"><li>' in section


def test_a_passed_deadline_not_met_is_flagged_as_missed(client, far_and_late):
    client.force_login(far_and_late.state_admin)
    progress = client.get(reverse("mission-target-progress", args=[far_and_late.target.pk]))
    assert "Deadline missed" in progress.content.decode()
    dashboard = client.get(reverse("dashboard-state")).content.decode()
    assert 'deadline-missed' in dashboard.split('id="targets"')[1]


def test_a_deadline_still_ahead_is_not_flagged(client, far_and_late):
    from srishti.certification.models import MissionTarget

    MissionTarget.objects.filter(pk=far_and_late.target.pk).update(
        deadline=timezone.localdate() + dt.timedelta(days=30))
    client.force_login(far_and_late.state_admin)
    assert "deadline-missed" not in client.get(reverse("dashboard-state")).content.decode()


# --- the heat map and the forms -----------------------------------------------------------

def test_the_heat_map_names_its_area_columns(client, cast, demo_version):
    answer_all(assessment_create(facility=cast.f, version=demo_version,
                                 start_date=dt.date(2024, 5, 1)), 1)
    client.force_login(cast.state_admin)
    html = client.get(reverse("dashboard-state")).content.decode()
    legend = html.split('id="heat-legend"')[1].split("</dl>")[0]
    titles = dict(demo_version.departments.first().areas.values_list("letter", "title"))
    for letter in "ABCDEFGH":
        assert f"<dt>{letter}</dt><dd>{titles[letter]}</dd>" in legend


@pytest.mark.parametrize("url", ["mission-target-create", "campaign-create"])
def test_setting_a_target_or_a_campaign_starts_on_nqas(client, cast, demo_version, url):
    client.force_login(cast.state_admin)
    html = client.get(reverse(url)).content.decode()
    select = html.split('name="tool"')[1].split("</select>")[0]
    nqas = Tool.objects.get(code="NQAS").pk
    assert re.search(rf'<option value="{nqas}" selected>', select)
    assert select.count("selected") == 1


# --- trends by date -----------------------------------------------------------------------

def _xs(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]


def test_a_trend_spaces_its_points_by_date():
    svg = line_chart(["2016 Q4", "2022 Q2", "2022 Q3"], [Series("avg", [50, 60, 70])],
                     x_positions=[2016.75, 2022.25, 2022.5])
    first, second, third = _xs(svg)
    # Coordinates are written to a tenth of a unit.
    assert (second - first) == pytest.approx(22 * (third - second), abs=1)


def test_without_positions_points_stay_one_step_apart():
    first, second, third = _xs(line_chart(["a", "b", "c"], [Series("s", [1, 2, 3])]))
    assert second - first == pytest.approx(third - second)


def test_the_dashboard_trend_places_quarters_by_date(client, cast, demo_version):
    for day in (dt.date(2016, 11, 1), dt.date(2022, 5, 1), dt.date(2022, 8, 1)):
        submitted(answer_all(assessment_create(facility=cast.f, version=demo_version,
                                               start_date=day), 1))
    client.force_login(cast.state_admin)
    html = client.get(reverse("dashboard-district", args=[cast.x.pk])).content.decode()
    first, second, third = _xs(html)
    # Six years apart, then one quarter (the SVG rounds to a tenth of a unit).
    assert (second - first) == pytest.approx(22 * (third - second), abs=1)
