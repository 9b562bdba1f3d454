"""Fill AssessmentScore.largest_gap from the verdicts already stored (data only)."""

from django.db import migrations


def fill(apps, schema_editor):
    AssessmentScore = apps.get_model("assessments", "AssessmentScore")
    changed = []
    for score in AssessmentScore.objects.exclude(verdict={}).iterator(chunk_size=500):
        # The stored form of scoring.criteria.largest_gap, read from the verdict's JSON.
        gaps = [c["threshold"] - (c["value"] if c.get("value") is not None else 0)
                for c in score.verdict.get("criteria", []) if not c.get("passed")]
        score.largest_gap = max(gaps) if gaps else None
        changed.append(score)
    AssessmentScore.objects.bulk_update(changed, ["largest_gap"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_assessmentscore_largest_gap")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
