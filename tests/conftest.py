"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path((REPO / ".." / "shared").resolve())
REFERENCE_WORKBOOKS = SHARED / "reference-workbooks"
# Every shared official workbook, for tests that run over all of them.
REFERENCE_NAMES = [
    "NQAS-DH-2016-blank.xlsx",
    "NQAS-DH-2016-filled-DH-Anuppur.xlsx",
    "NQAS-CHC-2016-blank.xlsx",
    "LaQshya-LabourRoom-2018-blank.xlsx",
    "Kayakalp-DH-SDH-CHC-2017-blank.xlsx",
]


@pytest.fixture
def reference_workbook():
    """Path to one of the shared official workbooks; skips the test when it is absent."""

    def find(name: str) -> Path:
        path = REFERENCE_WORKBOOKS / name
        if not path.is_file():
            pytest.skip(f"reference workbook {name} is not available at {path}")
        return path

    return find


@pytest.fixture
def demo_version(db):
    """The demo DH checklist (533 checkpoints) as a checklist version."""
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist

    # Transactional (browser) tests start from a flushed database, without the rule
    # sets the data migration seeds; put them back so the version gets its rule set.
    rule_sets_seed()
    return checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                    facility_type="DH", label="test")


@pytest.fixture
def cast(db):
    """The named people of the access tests, over two districts of one state.

    District X lies in division XD, district Y in division YD; facility F in block XB of X,
    G in block GB of X, H (in Y) in no block.

    state_admin sees the state; division_officer (a division quality unit of XD) sees
    district X and so F and G; district_officer sees district X only; block_team (the block
    health team of XB) sees F only; facility_team sees facility F only; outsider has no
    membership.
    """
    from types import SimpleNamespace

    from tests.factories import (
        BlockFactory,
        DistrictFactory,
        DivisionFactory,
        FacilityFactory,
        MembershipFactory,
        UserFactory,
    )

    xd = DivisionFactory(name="Xdivision")
    yd = DivisionFactory(name="Ydivision")
    x = DistrictFactory(name="Xdistrict", division=xd)
    y = DistrictFactory(name="Ydistrict", division=yd)
    xb = BlockFactory(district=x, name="Xblock")
    gb = BlockFactory(district=x, name="Gblock")
    f = FacilityFactory(district=x, block=xb, name="Facility F")
    g = FacilityFactory(district=x, block=gb, name="Facility G")
    h = FacilityFactory(district=y, name="Facility H")
    people = SimpleNamespace(x=x, y=y, f=f, g=g, h=h, xd=xd, yd=yd, xb=xb, gb=gb)
    people.state_admin = MembershipFactory(
        user=UserFactory(username="state_admin"), role="state_quality_unit", state=x.state).user
    people.district_officer = MembershipFactory(
        user=UserFactory(username="district_officer"), role="district_quality_unit",
        district=x).user
    people.facility_team = MembershipFactory(
        user=UserFactory(username="facility_team"), role="facility_quality_team",
        facility=f).user
    people.division_officer = MembershipFactory(
        user=UserFactory(username="division_officer"), role="division_quality_unit",
        division=xd).user
    people.block_team = MembershipFactory(
        user=UserFactory(username="block_team"), role="block_health_team", block=xb).user
    people.outsider = UserFactory(username="outsider")
    return people


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A Hindi request leaves Hindi active in the thread (LocaleMiddleware does not undo
    it); reset so that a later test's messages are not read in the wrong language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def run_jobs() -> None:
    """Run every queued background task to the end, in this process (the worker's own
    loop, as `srishti worker --batch` runs it).

    The loop recycles its database connection between tasks, as a worker process should;
    inside a test's transaction that would close the test's own connection (with the
    PostgreSQL pool, every time), so here the recycling is left out.
    """
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", queue_name="*", batch=True, reload=False,
                     startup_delay=False, interval=0, verbosity=0)


def fetch_file(client, url: str, params: dict | None = None):
    """Ask for a file the way a page does (it is queued as a job), let the worker make
    it, and download it. Returns a plain response with `.content`."""
    from django.http import HttpResponse
    from django.urls import reverse

    response = client.get(url, params or {})
    assert response.status_code == 302 and "/jobs/" in response.url, response
    run_jobs()
    job = client.get(response.url).context["job"]
    assert job.status == "done", job.error
    download = client.get(reverse("job-download", args=[job.pk]))
    plain = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header in ("Content-Type", "Content-Disposition", "Cache-Control"):
        if header in download:
            plain[header] = download[header]
    return plain
