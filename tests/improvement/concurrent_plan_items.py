"""Three threads turn one assessment's plan into action items at once, on a SQLite file
with the settings the app runs with (WAL, IMMEDIATE transactions, busy timeout). Run by
tests/improvement/test_path.py in a fresh process (the test database of the suite is
SQLite in memory, which threads cannot share); prints one JSON line.

    SRISHTI_VAR=/tmp/somewhere python -m tests.improvement.concurrent_plan_items
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import uuid


def main() -> None:
    import django

    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "srishti.config.settings.base"
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from srishti.assessments.models import Assessment
    from srishti.assessments.services import assessment_create, responses_import
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist
    from srishti.geography.models import District, Facility, State
    from srishti.improvement.models import ActionItem
    from srishti.improvement.selectors_path import plan_for
    from srishti.improvement.services import action_items_from_plan

    call_command("migrate", verbosity=0)
    rule_sets_seed()
    version = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="threads")
    state = State.objects.create(name="Bihar", code="BR")
    facility = Facility.objects.create(district=District.objects.create(state=state, name="X"),
                                       name="DH X", facility_type="DH")
    assessment = assessment_create(facility=facility, version=version,
                                   start_date=dt.date(2024, 5, 1))
    rng = random.Random(7)
    responses_import(assessment=assessment, answers=[
        (cid, rng.choice([0, 1, 2, 2, None]), "") for cid in
        version.checkpoints.order_by("order").values_list("id", flat=True)])
    planned = len(plan_for(assessment)[1].raises)
    connection.close()

    start = threading.Barrier(3)
    created: list[int] = []
    errors: list[str] = []

    def press() -> None:
        from django.db import connection as own

        try:
            start.wait()
            fresh = Assessment.objects.select_related("facility__district").get(
                pk=assessment.pk)
            created.append(action_items_from_plan(assessment=fresh, user=None,
                                                  client_id=uuid.uuid4()).created)
        except Exception as error:  # reported to the test
            errors.append(repr(error))
        finally:
            own.close()

    threads = [threading.Thread(target=press) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"planned": planned, "created": sorted(created), "errors": errors,
                      "items": ActionItem.objects.filter(assessment=assessment).count()}))


if __name__ == "__main__":
    main()
