"""Weekly snapshots: taken once per campaign and week, never changed afterwards."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, assessment_submit, response_save
from srishti.campaigns.figures import figures
from srishti.campaigns.models import CampaignSnapshot, SnapshotRow
from srishti.campaigns.readiness import readiness
from srishti.campaigns.services import campaign_snapshot_take, campaign_snapshots_due
from srishti.core.errors import DomainError

from .conftest import START, answer, at


def test_weeks_run_from_the_start_and_the_last_one_ends_with_the_campaign(campaign):
    c = campaign.campaign
    c.end = START + dt.timedelta(days=30)
    assert c.weeks == 5
    assert c.week_dates(1) == (START, START + dt.timedelta(days=6))
    assert c.week_dates(5) == (START + dt.timedelta(days=28), c.end)
    assert (c.week_of(START - dt.timedelta(days=1)), c.week_of(START + dt.timedelta(days=7)),
            c.week_of(dt.date(2026, 1, 1))) == (0, 2, 5)


def test_a_week_is_kept_once_and_later_corrections_do_not_change_it(campaign):
    c, cast = campaign.campaign, campaign.cast
    a = answer(assessment_create(facility=cast.f, version=campaign.version,
                                 start_date=START + dt.timedelta(days=1)), 100)
    week_end = START + dt.timedelta(days=6)

    snapshot, taken = campaign_snapshot_take(campaign=c, week=1, now=at(week_end
                                                                         + dt.timedelta(1)))
    assert taken
    row = SnapshotRow.objects.get(snapshot=snapshot, facility=cast.f)
    assert (row.answered, row.checkpoints, row.assessment_id_taken) == (100, 533, a.pk)
    kept = (row.score, row.answered)

    # The data is corrected afterwards: the live figures move, the snapshot does not.
    checkpoint = a.version.checkpoints.order_by("order")[200]
    response_save(assessment=a, checkpoint=checkpoint, value=Decimal(0), remark="missing",
                  base_revision=0, user=None)
    live = figures(campaign=c, facility_ids=[cast.f.pk], as_of=week_end)[cast.f.pk]
    assert live.answered == 101 and live.score != kept[0]
    again, taken_again = campaign_snapshot_take(campaign=c, week=1,
                                                now=at(week_end + dt.timedelta(3)))
    assert (again, taken_again) == (snapshot, False)
    row.refresh_from_db()
    assert (row.score, row.answered) == kept
    assert SnapshotRow.objects.filter(snapshot=snapshot).count() == 2  # F and G


def test_a_week_that_has_not_ended_cannot_be_kept(campaign):
    c = campaign.campaign
    with pytest.raises(DomainError, match="Week 1 has not ended yet: it ends on 2025-01-12"):
        campaign_snapshot_take(campaign=c, week=1, now=at(dt.date(2025, 1, 12), 23))
    with pytest.raises(DomainError, match="not a week of this campaign"):
        campaign_snapshot_take(campaign=c, week=9, now=at(dt.date(2026, 1, 1)))
    assert not CampaignSnapshot.objects.exists()


def test_figures_are_as_of_the_weeks_end(campaign):
    c, cast = campaign.campaign, campaign.cast
    answer(assessment_create(facility=cast.f, version=campaign.version,
                             start_date=START + dt.timedelta(days=10)), 50)
    # Day 10: week 1 has ended, week 2 (days 7 to 13) has not.
    taken = campaign_snapshots_due(campaign=c, now=at(START + dt.timedelta(days=10)))
    assert [s.week for s in taken] == [1]
    assert SnapshotRow.objects.get(snapshot__week=1, facility=cast.f).answered == 0
    taken = campaign_snapshots_due(campaign=c, now=at(START + dt.timedelta(days=40)))
    assert [s.week for s in taken] == [2, 3, 4]
    assert SnapshotRow.objects.get(snapshot__week=2, facility=cast.f).answered == 50


def test_ready_means_the_latest_submitted_assessment_passes(campaign):
    cast, version = campaign.cast, campaign.version
    day = START + dt.timedelta(days=2)
    full = answer(assessment_create(facility=cast.f, version=version, start_date=day,
                                    kind="state"), 533)
    assert readiness(facility_ids=[cast.f.pk], tool_id=version.tool_id, as_of=day) == {}
    assessment_submit(assessment=full, user=None, unanswered_confirmed=True)
    ready = readiness(facility_ids=[cast.f.pk], tool_id=version.tool_id, as_of=day)
    assert ready[cast.f.pk].ready and ready[cast.f.pk].assessment_id == full.pk
    # A later draft does not take readiness away; a later submitted failure does.
    answer(assessment_create(facility=cast.f, version=version,
                             start_date=day + dt.timedelta(1)), 10, value=0)
    assert readiness(facility_ids=[cast.f.pk], tool_id=version.tool_id,
                     as_of=day + dt.timedelta(1))[cast.f.pk].ready
    failing = Assessment.objects.order_by("-start_date").first()
    assessment_submit(assessment=failing, user=None, unanswered_confirmed=True)
    later = readiness(facility_ids=[cast.f.pk], tool_id=version.tool_id,
                      as_of=day + dt.timedelta(1))[cast.f.pk]
    assert not later.ready and later.points_short is not None
    # As of the earlier day, it was ready.
    assert readiness(facility_ids=[cast.f.pk], tool_id=version.tool_id,
                     as_of=day)[cast.f.pk].ready


def test_action_items_count_open_and_closed(campaign):
    from srishti.improvement.models import ActionItem

    cast = campaign.cast
    a = answer(assessment_create(facility=cast.f, version=campaign.version,
                                 start_date=START), 30, value=0)
    gaps = list(a.version.checkpoints.order_by("order")[:5])
    for i, cp in enumerate(gaps):
        ActionItem.objects.create(assessment=a, checkpoint=cp, facility=cast.f,
                                  status=["open", "in_progress", "done", "done", "open"][i])
    f = figures(campaign=campaign.campaign, facility_ids=[cast.f.pk, cast.g.pk],
                as_of=START)
    assert (f[cast.f.pk].open_actions, f[cast.f.pk].closed_actions) == (3, 2)
    assert (f[cast.g.pk].open_actions, f[cast.g.pk].assessment_id) == (0, None)


def test_the_goal_of_a_score_or_of_gaps_closed(campaign):
    from srishti.campaigns.figures import Figures, meets_goal

    c = campaign.campaign
    c.goal, c.goal_value = "score", 70.0
    assert meets_goal(c, Figures(score=70.0)) and not meets_goal(c, Figures(score=69.9))
    c.goal = "gaps_closed"
    assert meets_goal(c, Figures(open_actions=1, closed_actions=3))  # 75%
    assert not meets_goal(c, Figures())  # no gap listed: nothing closed


def test_the_command_takes_what_is_due_and_is_idempotent(campaign, capsys):
    call_command("campaign_snapshots")
    assert CampaignSnapshot.objects.filter(campaign=campaign.campaign).count() == 4
    call_command("campaign_snapshots")
    assert "0 weekly snapshot(s) taken" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no campaign with id"):
        call_command("campaign_snapshots", campaign=10**6)
    call_command("campaign_snapshots", campaign=campaign.campaign.pk, week=2)
    assert "week 2 was already taken" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_keep_one_snapshot_per_week(cast, demo_version):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database: SQLite in memory cannot be shared by threads")
    from srishti.campaigns.models import Campaign, Enrollment
    from srishti.campaigns.services import campaign_create

    c, _ = campaign_create(name="Race", scope=cast.x, tool=demo_version.tool, start=START,
                           end=START + dt.timedelta(days=27), goal="certification_ready")
    Enrollment.objects.create(campaign=c, facility=cast.f)
    start, errors = threading.Barrier(4), []

    def run():
        from django.db import connection as own

        try:
            start.wait()
            campaign_snapshots_due(campaign=Campaign.objects.get(pk=c.pk),
                                   now=at(dt.date(2025, 3, 1)))
        except Exception as error:  # collected, asserted below
            errors.append(repr(error))
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(CampaignSnapshot.objects.filter(campaign=c).values_list("week", flat=True)) \
        == [1, 2, 3, 4]
    assert SnapshotRow.objects.filter(snapshot__campaign=c).count() == 4
