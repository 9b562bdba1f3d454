"""What counts: a facility's latest SUBMITTED assessment of each kind (issue 10, defect 1).

The demo's DH Begusarai is state-certified; its facility team opening a new assessment
and answering a few checkpoints must move no figure anywhere until it is submitted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.assessments.services import (
    assessment_get_or_create,
    assessment_reopen,
    assessment_submit,
    response_save,
)
from srishti.campaigns.readiness import readiness
from srishti.certification.models import FacilityStanding, MissionTarget
from srishti.certification.selectors import (
    facility_standings,
    target_counts,
    target_progress,
)
from srishti.certification.standing import standing_refresh, standings_rebuild
from srishti.checklists.models import ChecklistVersion
from srishti.core.errors import DomainError
from srishti.dashboards.selectors import dashboard_attention, district_dashboard, state_dashboard
from srishti.demo.checklist import DEMO_VERSION_LABEL
from srishti.demo.load import demo_load
from srishti.geography.models import District, Facility
from srishti.scoring.standing import Candidate, standings_of

from .conftest import assess

D = dt.date
TODAY = D(2023, 4, 1)


@pytest.fixture
def demo(db):
    demo_load()
    facility = Facility.objects.get(district__name="Begusarai", facility_type="DH")
    return {
        "state": User.objects.get(username="state"),
        "district": User.objects.get(username="begusarai"),
        "team": User.objects.get(username="dh.begusarai"),
        "facility": facility,
        "begusarai": facility.district,
        "target": MissionTarget.objects.get(state__name="Bihar"),
        "version": ChecklistVersion.objects.get(facility_type="DH", label=DEMO_VERSION_LABEL),
    }


def figures(demo) -> dict:
    """Every figure the issue saw move, as the state and the district read them."""
    state, district, facility = demo["state"], demo["district"], demo["facility"]
    board = state_dashboard(user=state)
    local = district_dashboard(user=district, district=demo["begusarai"])
    progress = target_progress(user=state, target=demo["target"], today=TODAY)
    [standing] = facility_standings(user=state, facility=facility)
    return {
        "state tiles": (board.tiles.assessed, board.tiles.average_score, board.tiles.ready),
        "state ranking": [(r.name, r.assessed, r.average_score, r.ready)
                          for r in board.ranking],
        "state heat": [(r.name, r.cells) for r in board.heat],
        "district tiles": (local.tiles.assessed, local.tiles.average_score, local.tiles.ready),
        "district ranking": [(r.name, r.average_score, r.extra["passed"])
                             for r in local.ranking],
        "target counts": target_counts(user=state, target=demo["target"]),
        "target meeting": sorted(r.facility.pk for r in progress.meeting),
        "standing": (standing.assessment_id, standing.overall, standing.passed),
        "ready": readiness(facility_ids=[facility.pk], tool_id=demo["version"].tool_id,
                           as_of=TODAY)[facility.pk].ready,
    }


def open_and_answer(demo, n: int = 5) -> Assessment:
    """dh.begusarai opens an internal assessment and answers `n` checkpoints with 0."""
    assessment, _created = assessment_get_or_create(
        facility=demo["facility"], version=demo["version"], kind="internal",
        start_date=D(2023, 3, 20))
    for checkpoint in demo["version"].checkpoints.order_by("order")[:n]:
        response_save(assessment=assessment, checkpoint=checkpoint, value=Decimal(0),
                      remark="not in place", base_revision=0, user=demo["team"])
    return assessment


def test_a_draft_on_a_certified_facility_moves_no_figure_until_it_is_submitted(demo):
    before = figures(demo)
    assert before["standing"][2] is True and before["ready"] is True
    assert demo["facility"].pk in before["target meeting"]

    assessment = open_and_answer(demo)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert assessment.score.overall == 0  # the draft's own figure, counted nowhere
    assert figures(demo) == before
    # It shows as in progress, with its completion, on the district page.
    local = district_dashboard(user=demo["district"], district=demo["begusarai"])
    [shown] = [a for a in local.in_progress if a.pk == assessment.pk]
    assert (shown.answered, shown.total) == (5, demo["version"].checkpoints.count())

    assessment_submit(assessment=assessment, user=demo["team"], unanswered_confirmed=True)
    after = figures(demo)
    assert after["standing"] == (assessment.pk, 0, False)
    assert after["ready"] is False
    assert demo["facility"].pk not in after["target meeting"]
    assert after["target counts"][0] == before["target counts"][0] - 1
    assert after["state tiles"][2] == before["state tiles"][2] - 1
    assert after["district ranking"] != before["district ranking"]

    # Reopened, it no longer counts: the state assessment stands again.
    assessment_reopen(assessment=assessment, user=demo["state"], reason="entered too early")
    assert figures(demo) == before


def test_the_pages_show_the_same_unmoved_figures(client, demo):
    client.force_login(demo["state"])
    pages = [reverse("dashboard-state"),
             reverse("dashboard-district", args=[demo["begusarai"].pk]),
             reverse("mission-target-progress", args=[demo["target"].pk])]
    before = [client.get(url).content.decode() for url in pages]
    open_and_answer(demo)
    after = [client.get(url).content.decode() for url in pages]
    assert after[0].count("%") == before[0].count("%")
    for old, new in zip(before, after, strict=True):
        # The state page gains only the count of assessments in progress.
        strip = _without_in_progress
        assert strip(old) == strip(new)


def _without_in_progress(html: str) -> str:
    import re

    html = re.sub(r'<div class="stat" id="in-progress-tile">.*?</div>', "", html, flags=re.S)
    html = re.sub(r'<section class="card" id="in-progress">.*?</section>', "", html,
                  flags=re.S)
    return re.sub(r"[A-Za-z0-9]{64}", "", html)  # CSRF tokens differ per response


# --- the stored rows follow submit, reopen and delete -------------------------------------

def test_standings_keep_the_latest_submitted_of_each_kind_and_the_newest_is_current(
        cast, demo_version):
    old = assess(cast.f, demo_version, D(2023, 1, 5), kind="internal", overall=60, passed=False)
    new = assess(cast.f, demo_version, D(2023, 2, 5), kind="internal", overall=70, passed=True)
    state = assess(cast.f, demo_version, D(2023, 1, 20), kind="state", overall=90, passed=True)
    assess(cast.f, demo_version, D(2023, 3, 5), kind="peer", overall=10, passed=False,
           status=Assessment.Status.IN_PROGRESS)
    rows = {s.kind: s for s in FacilityStanding.objects.filter(facility=cast.f)}
    assert {k: s.assessment_id for k, s in rows.items()} == {"internal": new.pk,
                                                              "state": state.pk}
    assert [s.assessment_id for s in rows.values() if s.current] == [new.pk]
    assert (rows["internal"].overall, rows["internal"].passed) == (70, True)
    assert old.pk not in {s.assessment_id for s in rows.values()}


def test_deleting_the_counted_assessment_brings_back_the_one_before(cast, demo_version):
    first = assess(cast.f, demo_version, D(2023, 1, 5), overall=60, passed=False)
    second = assess(cast.f, demo_version, D(2023, 2, 5), overall=80, passed=True)
    assert FacilityStanding.objects.get(facility=cast.f, current=True).assessment_id == second.pk
    second.delete()
    assert FacilityStanding.objects.get(facility=cast.f, current=True).assessment_id == first.pk
    first.delete()
    assert not FacilityStanding.objects.filter(facility=cast.f).exists()


def test_reopening_takes_the_assessment_out_of_every_figure(cast, demo_version):
    earlier = assess(cast.f, demo_version, D(2023, 1, 5), overall=60, passed=False)
    later = assess(cast.f, demo_version, D(2023, 2, 5), overall=80, passed=True)
    assessment_reopen(assessment=later, user=cast.state_admin, reason="wrong facility")
    assert FacilityStanding.objects.get(facility=cast.f, current=True).assessment_id == \
        earlier.pk
    later.refresh_from_db()
    assessment_submit(assessment=later, user=cast.state_admin, unanswered_confirmed=True)
    assert FacilityStanding.objects.get(facility=cast.f, current=True).assessment_id == later.pk


def test_the_bulk_rebuild_gives_the_rows_the_refresh_gives(cast, demo_version):
    assess(cast.f, demo_version, D(2023, 1, 5), overall=60, passed=False)
    assess(cast.f, demo_version, D(2023, 2, 5), kind="district", overall=80, passed=True)
    assess(cast.g, demo_version, D(2023, 2, 6), overall=30, passed=False)
    assess(cast.h, demo_version, D(2023, 2, 7), overall=30, passed=False,
           status=Assessment.Status.IN_PROGRESS)

    def rows():
        return sorted(FacilityStanding.objects.values_list(
            "facility_id", "tool_id", "kind", "assessment_id", "current", "overall", "passed"))

    refreshed = rows()
    assert standings_rebuild() == 3
    assert rows() == refreshed
    FacilityStanding.objects.all().delete()
    for facility in (cast.f, cast.g, cast.h):
        standing_refresh(facility_id=facility.pk, tool_id=demo_version.tool_id)
    assert rows() == refreshed


def test_the_rule_itself_ignores_what_is_not_submitted():
    found = standings_of([
        Candidate(1, "internal", D(2023, 1, 1), "submitted"),
        Candidate(2, "internal", D(2023, 2, 1), "in_progress"),
        Candidate(3, "state", D(2023, 1, 15), "submitted"),
        Candidate(4, "state", D(2023, 1, 15), "draft"),
        Candidate(5, "internal", D(2023, 1, 1), "submitted"),  # same day, later id
    ])
    assert {k: c.assessment_id for k, c in found.by_kind.items()} == {"internal": 5,
                                                                       "state": 3}
    assert found.current.assessment_id == 3
    assert standings_of([Candidate(1, "internal", D(2023, 1, 1), "draft")]).current is None


def test_an_unconfirmed_submit_with_unanswered_checkpoints_changes_nothing(demo):
    assessment = open_and_answer(demo, n=2)
    with pytest.raises(DomainError, match="unanswered"):
        assessment_submit(assessment=assessment, user=demo["team"])
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert FacilityStanding.objects.get(facility=demo["facility"], current=True).kind == "state"


# --- scoped figures: one progress per scope ------------------------------------------------

def test_a_district_page_counts_the_districts_facilities_the_same_for_every_viewer(demo):
    today = timezone.localdate()
    begusarai = demo["begusarai"]
    as_state = dashboard_attention(user=demo["state"], today=today, district=begusarai)
    as_district = dashboard_attention(user=demo["district"], today=today, district=begusarai)
    state_target = [t for t in as_state.targets if t.pk == demo["target"].pk]
    assert state_target and state_target == [t for t in as_district.targets
                                             if t.pk == demo["target"].pk]
    [t] = state_target
    assert t.share_of == "Bihar"
    in_district = Facility.objects.filter(district=begusarai)
    standing = FacilityStanding.objects.filter(facility__in=in_district, current=True,
                                               passed=True)
    assert t.meeting == standing.count()
    # The whole state's progress is larger: another district's facility meets it.
    state_wide = dashboard_attention(user=demo["state"], today=today)
    [whole] = [x for x in state_wide.targets if x.pk == demo["target"].pk]
    assert whole.meeting > t.meeting and whole.share_of == ""


def test_an_empty_district_shows_no_share_of_the_state_target(demo):
    arwal = District.objects.get(name="Arwal")
    attention = dashboard_attention(user=demo["state"], today=timezone.localdate(),
                                    district=arwal)
    [t] = [x for x in attention.targets if x.pk == demo["target"].pk]
    assert (t.meeting, t.close) == (0, 0)


def test_the_district_page_reads_the_same_to_the_state_and_the_district(client, demo):
    url = reverse("dashboard-district", args=[demo["begusarai"].pk])
    pages = []
    for who in ("state", "district"):
        client.force_login(demo[who])
        html = client.get(url).content.decode()
        start = html.index('<div class="stats" id="tiles">')
        end = html.index('<section class="card">', html.index('id="ranking"') - 400)
        pages.append(html[start:end])
    assert pages[0] == pages[1]
    assert "share of the Bihar target" in pages[0]
