"""Devices and browsers writing answers to one assessment at once, through the real HTTP
endpoints (a Django test Client per thread): the scenarios, run in-process on PostgreSQL
(test_write_races.py) and, for SQLite, in a child process on a file database as Srishti
runs it (an in-memory test database cannot take concurrent writers).

    python -m tests.assessments.write_races   (with SRISHTI_VAR pointing at an empty folder)

Every scenario ends by comparing the stored score rows and `checkpoints_answered` with a
recount from the stored answers.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from itertools import count
from typing import Any

ROUNDS = 3
_days = count()


def _run(targets: list[Callable[[], Any]]) -> list[Any]:
    """Start one thread per target at once; each one's outcome (or the exception's name)."""
    from django.db import connection

    outcomes: list[Any] = [None] * len(targets)
    start = threading.Barrier(len(targets))

    def work(i, target):
        try:
            start.wait()
            outcomes[i] = target()
        except Exception as error:  # noqa: BLE001 - reported, asserted by the caller
            outcomes[i] = f"error: {error!r}"[:300]
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a writer did not finish within 120 s")
    return outcomes


def change(checkpoint_id: int, value=2, remark: str = "", base: int = 0,
           client_id: uuid.UUID | None = None) -> dict:
    return {"client_id": str(client_id or uuid.uuid4()), "checkpoint_id": checkpoint_id,
            "value": value, "remark": remark, "base_revision": base}


class World:
    """An assessment of the demo checklist, its checkpoints, and logged-in clients."""

    def __init__(self, version, facility, user) -> None:
        self.version, self.facility, self.user = version, facility, user
        self.checkpoints = list(version.checkpoints.order_by("order")
                                .values_list("id", flat=True))

    def assessment(self):
        from srishti.assessments.services import assessment_create

        return assessment_create(facility=self.facility, version=self.version,
                                 start_date=dt.date(2024, 1, 1) + dt.timedelta(next(_days)))

    def client(self):
        from django.test import Client

        client = Client()
        client.force_login(self.user)
        return client

    def batch(self, client, assessment_id: int, changes: list[dict]) -> Callable[[], Any]:
        """A device posting one batch: (HTTP status, the status of each change)."""
        def post():
            response = client.post(
                f"/api/sync/assessments/{assessment_id}/batches",
                {"key": str(uuid.uuid4()), "changes": changes},
                content_type="application/json")
            if response.status_code != 200:
                return [response.status_code, response.json().get("code", "")]
            return [200, [r["status"] for r in response.json()["results"]]]
        return post

    def web_save(self, client, assessment_id: int, checkpoint_id: int, value, remark: str,
                 base: int, client_id: uuid.UUID | None = None) -> Callable[[], int]:
        """The capture page saving one answer (htmx): its HTTP status."""
        def post():
            response = client.post(
                f"/assessments/{assessment_id}/checkpoints/{checkpoint_id}/save/",
                {"value": "NA" if value is None else str(value), "remark": remark,
                 "base_revision": str(base), "client_id": str(client_id or uuid.uuid4())},
                HTTP_HX_REQUEST="true")
            return response.status_code
        return post

    def submit(self, client, assessment_id: int) -> Callable[[], int]:
        def post():
            return client.post(f"/assessments/{assessment_id}/submit/").status_code
        return post


def recount(assessment_id: int) -> dict:
    """Stored figures against a recount from the stored answers: the differences."""
    from srishti.assessments.models import Assessment, AssessmentScore, Response, ScoreRow
    from srishti.assessments.scores import SCORE_ROW_FIELDS, score_rows
    from srishti.assessments.services import assessment_scorecard

    assessment = Assessment.objects.select_related("version").get(pk=assessment_id)
    card = assessment_scorecard(assessment)
    department_ids = dict(assessment.version.departments.values_list("name", "id"))
    wanted = Counter(score_rows(card, department_ids))
    stored = Counter(ScoreRow.objects.filter(assessment=assessment)
                     .values_list(*SCORE_ROW_FIELDS))
    score = AssessmentScore.objects.get(assessment=assessment)
    answered = Response.objects.filter(assessment=assessment).count()
    return {
        "rows_missing": len(wanted - stored),
        "rows_extra": len(stored - wanted),
        "answered_stored": score.checkpoints_answered,
        "answered_counted": answered,
        "overall_stored": score.overall,
        "overall_counted": card.overall,
    }


def scenarios(version_id: int, facility_id: int, user_id: int) -> dict:
    """Every race; what each writer got, what was stored, and the recounts."""
    from srishti.accounts.models import User
    from srishti.assessments.models import Assessment, AssessmentEvent, Response, ResponseChange
    from srishti.checklists.models import ChecklistVersion
    from srishti.geography.models import Facility

    world = World(ChecklistVersion.objects.get(pk=version_id),
                  Facility.objects.get(pk=facility_id), User.objects.get(pk=user_id))
    cps = world.checkpoints
    result: dict[str, Any] = {}

    # 1. Devices sending batches for different checkpoints of one assessment at once.
    for devices, rounds, per in ((2, ROUNDS, 20), (10, 1, 8)):
        outcomes, stored, counts = [], [], []
        for _ in range(rounds):
            a = world.assessment()
            clients = [world.client() for _ in range(devices)]
            outcomes.append(_run([
                world.batch(clients[d], a.pk,
                            [change(cp) for cp in cps[d * per:(d + 1) * per]])
                for d in range(devices)]))
            stored.append(Response.objects.filter(assessment=a).count())
            counts.append(recount(a.pk))
        result[f"batches_{devices}"] = {"outcomes": outcomes, "stored": stored,
                                        "expected": devices * per, "recounts": counts}

    # 2. Stale revisions on one checkpoint: devices that all saw revision 1 (and, on an
    # unanswered checkpoint, all saw none) send different answers.
    outcomes, revisions, counts = [], [], []
    for devices in (2, 2, 6):
        a = world.assessment()
        clients = [world.client() for _ in range(devices)]
        assert world.batch(clients[0], a.pk, [change(cps[0])])()[0] == 200
        outcomes.append(_run([
            world.batch(clients[d], a.pk, [change(cps[0], 1, f"device {d}", base=1),
                                           change(cps[1], 0, f"device {d}", base=0)])
            for d in range(devices)]))
        revisions.append(list(Response.objects.filter(assessment=a, checkpoint_id__in=cps[:2])
                              .order_by("checkpoint__order").values_list("revision", flat=True)))
        counts.append(recount(a.pk))
    result["stale"] = {"outcomes": outcomes, "revisions": revisions, "recounts": counts}

    # 3. A batch racing a submission: the batch lands before it or is refused, whole.
    outcomes, stored, late, statuses, counts = [], [], [], [], []
    for _ in range(ROUNDS):
        a = world.assessment()
        device, browser = world.client(), world.client()
        assert world.batch(device, a.pk, [change(cp) for cp in cps[:10]])()[0] == 200
        outcomes.append(_run([world.batch(device, a.pk, [change(cp) for cp in cps[10:40]]),
                              world.submit(browser, a.pk)]))
        stored.append(Response.objects.filter(assessment=a).count())
        submitted_at = AssessmentEvent.objects.get(assessment=a).at
        late.append(ResponseChange.objects.filter(response__assessment=a,
                                                  at__gt=submitted_at).count())
        statuses.append(Assessment.objects.get(pk=a.pk).status)
        counts.append(recount(a.pk))
    result["submit"] = {"outcomes": outcomes, "stored": stored, "changed_after_submit": late,
                        "statuses": statuses, "recounts": counts}

    # 4. A web save racing a batch over the same answers (both saw revision 1), the batch
    # also answering new checkpoints.
    outcomes, applied, counts = [], [], []
    contested = cps[:5]
    for _ in range(ROUNDS):
        a = world.assessment()
        device, browser = world.client(), world.client()
        assert world.batch(device, a.pk, [change(cp) for cp in contested])()[0] == 200

        def saves(a=a, browser=browser):
            return [world.web_save(browser, a.pk, cp, 0, "web", base=1)()
                    for cp in contested]

        outcomes.append(_run([
            world.batch(device, a.pk, [change(cp, 1, "device", base=1) for cp in contested]
                        + [change(cp) for cp in cps[5:60]]),
            saves]))
        applied.append([ResponseChange.objects.filter(response__assessment=a,
                                                      response__checkpoint_id=cp,
                                                      revision=2).count()
                        for cp in contested])
        counts.append(recount(a.pk))
    result["web_and_batch"] = {"outcomes": outcomes, "applied_per_checkpoint": applied,
                               "recounts": counts}

    # 5. A client id reused for another checkpoint: refused, in a later batch, in the
    # same batch, by the web path, and by two devices at once.
    a = world.assessment()
    device = world.client()
    used = uuid.uuid4()
    first = world.batch(device, a.pk, [change(cps[0], client_id=used)])()
    later = world.batch(device, a.pk, [change(cps[1], client_id=used)])()
    again = uuid.uuid4()
    same_batch = world.batch(device, a.pk, [change(cps[2], client_id=again),
                                            change(cps[3], client_id=again)])()
    web = world.web_save(world.client(), a.pk, cps[4], 2, "", base=0, client_id=used)()
    shared = uuid.uuid4()
    at_once = _run([world.batch(world.client(), a.pk, [change(cp, client_id=shared)])
                    for cp in cps[5:7]])
    answered = sorted(cps.index(cp) for cp in Response.objects.filter(assessment=a)
                      .values_list("checkpoint_id", flat=True))
    result["reused_client_id"] = {"first": first, "later": later, "same_batch": same_batch,
                                  "web": web, "at_once": at_once, "answered": answered,
                                  "recounts": [recount(a.pk)]}
    return result


def _recounts_agree(counts: list[dict]) -> None:
    for c in counts:
        assert c["rows_missing"] == c["rows_extra"] == 0, c
        assert c["answered_stored"] == c["answered_counted"], c
        assert c["overall_stored"] == c["overall_counted"], c


def check(result: dict) -> None:
    """The promises: never a server error or a deadlock; every answer of independent
    batches lands; one winner per contested answer, the rest conflicts; a batch racing a
    submission lands before it or not at all; a reused client id is refused; stored
    figures always equal a recount."""
    for devices in (2, 10):
        race = result[f"batches_{devices}"]
        for outcome in race["outcomes"]:
            assert all(o[0] == 200 and set(o[1]) == {"applied"} for o in outcome), outcome
        assert set(race["stored"]) == {race["expected"]}, race["stored"]
        _recounts_agree(race["recounts"])

    stale = result["stale"]
    for outcome in stale["outcomes"]:
        assert all(o[0] == 200 for o in outcome), outcome
        for position in (0, 1):
            got = Counter(o[1][position] for o in outcome)
            assert got == {"applied": 1, "conflict": len(outcome) - 1}, outcome
    assert stale["revisions"] == [[2, 1]] * len(stale["outcomes"]), stale["revisions"]
    _recounts_agree(stale["recounts"])

    submit = result["submit"]
    for (batch, submitted), stored in zip(submit["outcomes"], submit["stored"], strict=True):
        assert submitted == 302, submit
        if batch[0] == 200:
            assert set(batch[1]) == {"applied"} and stored == 40, submit
        else:
            assert batch == [409, "refused"] and stored == 10, submit
    assert submit["changed_after_submit"] == [0] * ROUNDS, submit
    assert set(submit["statuses"]) == {"submitted"}, submit
    _recounts_agree(submit["recounts"])

    mixed = result["web_and_batch"]
    for batch, saves in mixed["outcomes"]:
        assert batch[0] == 200 and set(batch[1]) <= {"applied", "conflict"}, mixed
        assert isinstance(saves, list) and set(saves) <= {200, 409}, mixed
    for applied in mixed["applied_per_checkpoint"]:
        assert applied == [1] * len(applied), mixed
    _recounts_agree(mixed["recounts"])

    reused = result["reused_client_id"]
    assert reused["first"] == [200, ["applied"]], reused
    assert reused["later"] == [200, ["rejected"]], reused
    assert reused["same_batch"] == [200, ["applied", "rejected"]], reused
    assert reused["web"] == 422, reused
    assert sorted(o[1][0] for o in reused["at_once"]) == ["applied", "rejected"], reused
    assert reused["answered"] == [0, 2, 5] or reused["answered"] == [0, 2, 6], reused
    _recounts_agree(reused["recounts"])


def world_ids() -> tuple[int, int, int]:
    """The demo checklist, a facility and its quality team's account: (version, facility,
    user) ids."""
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist
    from tests.factories import FacilityFactory, MembershipFactory, UserFactory

    rule_sets_seed()
    version = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="races")
    facility = FacilityFactory()
    user = MembershipFactory(user=UserFactory(username="races"), role="facility_quality_team",
                             facility=facility).user
    return version.pk, facility.pk, user.pk


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srishti.config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(json.dumps(scenarios(*world_ids())))


if __name__ == "__main__":
    main()
