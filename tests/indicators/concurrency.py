"""Threads writing monthly figures at once: the scenarios, run in-process on PostgreSQL
(test_concurrency.py) and, for SQLite, in a child process on a file database, as Srishti
runs on SQLite (an in-memory test database cannot take concurrent writers).

    python -m tests.indicators.concurrency   (with SRISHTI_VAR pointing at an empty folder)
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter

THREADS = 8


def _run(targets) -> list[str]:
    """Start one thread per target at once; the outcomes (status or exception name)."""
    from django.db import connection

    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(targets))

    def work(target):
        try:
            start.wait()
            outcome = target()
        except Exception as error:  # noqa: BLE001 - reported, asserted by the caller
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def scenarios(facility_id: int, user_id: int) -> dict:
    """Three races; returns what each thread got and what was stored."""
    from srishti.accounts.models import User
    from srishti.geography.models import Facility
    from srishti.indicators.models import IndicatorValue, MonthlyReport
    from srishti.indicators.months import add_months, last_complete_month
    from srishti.indicators.services import monthly_report_save

    facility = Facility.objects.get(pk=facility_id)
    user = User.objects.get(pk=user_id)
    last = last_complete_month()

    def writer(month, numerator, base=0, client_id=None, department="IPD", code="LAMA"):
        def target():
            return monthly_report_save(
                facility=Facility.objects.get(pk=facility.pk), department=department,
                month=month, figures={code: (str(numerator), "150")}, user=user,
                base_revision=base, client_id=client_id).status
        return target

    result = {}
    # 1. Everyone opened the empty form and saves different figures: one wins.
    month = add_months(last, -1)
    result["same_form"] = _run([writer(month, n) for n in range(THREADS)])
    stored = IndicatorValue.objects.filter(month=month)
    result["same_form_stored"] = [stored.count(),
                                  MonthlyReport.objects.get(month=month).revision]
    # 2. One device retries the same write many times at once: stored once.
    month = add_months(last, -2)
    key = uuid.uuid4()
    result["same_client_id"] = _run([writer(month, 5, client_id=key) for _ in range(THREADS)])
    result["same_client_id_stored"] = MonthlyReport.objects.get(month=month).revision
    # 3. Different months and departments at once (an upload beside form saves): all land.
    targets = [writer(add_months(last, -3 - i), 7, base=None) for i in range(THREADS // 2)]
    targets += [writer(add_months(last, -3 - i), 7, base=None, department="Labour Room",
                       code="CSR") for i in range(THREADS // 2)]
    result["different_reports"] = _run(targets)
    result["different_reports_stored"] = IndicatorValue.objects.filter(
        month__lte=add_months(last, -3)).count()
    return result


def check(result: dict) -> None:
    """The promises: never an exception; one winner, the rest conflicts; one write for
    one client id; independent reports all stored."""
    same = Counter(result["same_form"])
    assert same == {"applied": 1, "conflict": THREADS - 1}, result["same_form"]
    assert result["same_form_stored"] == [1, 1]
    retry = Counter(result["same_client_id"])
    assert retry == {"applied": 1, "replayed": THREADS - 1}, result["same_client_id"]
    assert result["same_client_id_stored"] == 1
    assert Counter(result["different_reports"]) == {"applied": THREADS}, \
        result["different_reports"]
    assert result["different_reports_stored"] == THREADS


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srishti.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    from srishti.accounts.models import User
    from srishti.geography.models import District, Facility, State

    call_command("migrate", verbosity=0)
    state = State.objects.create(name="Bihar", code="BR")
    district = District.objects.create(state=state, name="Xdistrict")
    facility = Facility.objects.create(district=district, name="Facility F", facility_type="DH")
    user = User.objects.create_user("writer", password="x")
    print(json.dumps(scenarios(facility.pk, user.pk)))


if __name__ == "__main__":
    main()
