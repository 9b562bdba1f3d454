"""Fill the stored standings from the submitted assessments already in the database."""

from collections import defaultdict

from django.db import migrations

from srishti.scoring.standing import Candidate, standings_of


def fill(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    AssessmentScore = apps.get_model("assessments", "AssessmentScore")
    FacilityStanding = apps.get_model("certification", "FacilityStanding")
    submitted = Assessment.objects.filter(status="submitted")
    groups = defaultdict(list)
    for pk, kind, start, status, facility_id, tool_id in (
            submitted.order_by().values_list("id", "kind", "start_date", "status",
                                             "facility_id", "version__tool_id")):
        groups[(facility_id, tool_id)].append(Candidate(pk, kind, start, status))
    scores = {pk: rest for pk, *rest in AssessmentScore.objects
              .filter(assessment__in=submitted)
              .values_list("assessment_id", "overall", "passed", "largest_gap",
                           "checkpoints_answered", "checkpoints_total")}
    rows = []
    for (facility_id, tool_id), candidates in groups.items():
        found = standings_of(candidates)
        for kind, c in found.by_kind.items():
            overall, passed, gap, answered, total = scores.get(
                c.assessment_id, (None, None, None, 0, 0))
            rows.append(FacilityStanding(
                facility_id=facility_id, tool_id=tool_id, kind=kind,
                assessment_id=c.assessment_id, current=c == found.current,
                assessed_on=c.start_date, overall=overall, passed=passed, largest_gap=gap,
                checkpoints_answered=answered, checkpoints_total=total))
    FacilityStanding.objects.bulk_create(rows, batch_size=2000)


def empty(apps, schema_editor):
    apps.get_model("certification", "FacilityStanding").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("certification", "0003_facility_standing")]

    operations = [migrations.RunPython(fill, empty)]
