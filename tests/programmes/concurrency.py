"""Threads recording Kayakalp results at once: the awards of the year still go to the
best scores, and nobody gets an error. Run in-process on PostgreSQL and in a child
process on a SQLite file database (see tests/indicators/concurrency.py).

    python -m tests.programmes.concurrency   (with SRISHTI_VAR pointing at an empty folder)
"""

from __future__ import annotations

import datetime as dt
import json

from tests.indicators.concurrency import _run

THREADS = 6


def scenarios(facility_ids: list[int], user_id: int) -> dict:
    from srishti.accounts.models import User
    from srishti.geography.models import Facility
    from srishti.programmes.models import ProgrammeRecord
    from srishti.programmes.services import programme_record_save

    user = User.objects.get(pk=user_id)

    def save(facility_id, stage, score):
        def target():
            programme_record_save(facility=Facility.objects.select_related("district")
                                  .get(pk=facility_id), programme="kayakalp", stage=stage,
                                  decided_on=dt.date(2024, 12, 1), score=score, user=user)
            return "ok"
        return target

    for facility_id in facility_ids:
        save(facility_id, "peer", 80.0)()
    scores = {fid: 71.0 + 3 * i for i, fid in enumerate(facility_ids)}
    result = {"externals": _run([save(fid, "external", s) for fid, s in scores.items()])}
    result["awards"] = sorted(
        [scores[fid], rank] for fid, rank in ProgrammeRecord.objects.filter(
            stage="external", result="award").values_list("facility_id", "rank"))
    result["commended"] = ProgrammeRecord.objects.filter(stage="external",
                                                         result="commendation").count()
    # The same stage recorded by several people at once: one record, no error.
    same = facility_ids[0]
    result["same_stage"] = _run([save(same, "internal", 60.0 + i) for i in range(4)])
    result["same_stage_records"] = ProgrammeRecord.objects.filter(
        facility_id=same, stage="internal").count()
    return result


def check(result: dict) -> None:
    assert result["externals"] == ["ok"] * THREADS, result["externals"]
    best = 71.0 + 3 * (THREADS - 1)
    assert result["awards"] == [[best - 3, 2], [best, 1]], result["awards"]
    assert result["commended"] == THREADS - 2
    assert all(o in ("ok",) or "recorded this stage at the same moment" in o
               for o in result["same_stage"]), result["same_stage"]
    assert result["same_stage_records"] == 1


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
    ids = [Facility.objects.create(district=district, name=f"DH {n}", facility_type="DH").pk
           for n in range(THREADS)]
    user = User.objects.create_user("recorder", password="x")
    print(json.dumps(scenarios(ids, user.pk)))


if __name__ == "__main__":
    main()
