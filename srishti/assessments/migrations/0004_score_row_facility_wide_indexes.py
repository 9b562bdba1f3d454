"""Covering partial indexes for the dashboards' aggregates over facility-wide score rows.

Dashboards sum the facility-wide area and standard rows of every facility's latest
assessment (thousands of assessments at a state's scale). Through the plain index on
assessment they read every row of each assessment and throw ~80% away (the department
rows). These indexes hold only the facility-wide rows of one level, with the figures the
sums need, so PostgreSQL answers from the index alone (measured in
bench/dashboard_bench.py). SQLite has no INCLUDE: there the indexes are partial only.
"""

from django.db import migrations

INDEXES = {"score_row_facility_areas": "area", "score_row_facility_standards": "standard"}


def create(apps, schema_editor):
    covering = schema_editor.connection.vendor == "postgresql"
    for name, level in INDEXES.items():
        include = " INCLUDE (obtained, maximum, score)" if covering else ""
        schema_editor.execute(
            f"CREATE INDEX {name} ON assessments_scorerow (assessment_id, code){include} "
            f"WHERE department_id IS NULL AND level = '{level}'")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_fill_largest_gap")]
    operations = [migrations.RunPython(create, drop)]
