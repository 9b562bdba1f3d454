"""The new pages read in Hindi: no catalogue string left in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.web.test_translations import assert_reads_in_hindi, in_hindi


@pytest.fixture(scope="module")
def catalogue():
    import polib

    from tests.web.test_translations import HINDI_PO

    return polib.pofile(str(HINDI_PO))


@pytest.fixture
def campaign(cast, demo_version, programme):
    from srishti.campaigns.models import Enrollment
    from srishti.campaigns.services import campaign_create, campaign_snapshot_take

    c, _ = campaign_create(name="Mission", scope=cast.x, tool=demo_version.tool,
                           start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29),
                           goal="score", goal_value=70)
    Enrollment.objects.create(campaign=c, facility=cast.f)
    campaign_snapshot_take(campaign=c, week=1)
    campaign_snapshot_take(campaign=c, week=2)
    return c


def test_the_programme_pages_read_in_hindi(client, cast, programme, campaign, catalogue,
                                           demo_version):
    from srishti.assessments.services import assessment_create

    assessment = assessment_create(facility=cast.f, version=demo_version, kind="state",
                                   start_date=dt.date(2024, 5, 1))
    in_hindi(client, cast.district_officer)
    pages = [reverse("staff-list"), reverse("staff-detail", args=[programme.sup_f.pk]),
             reverse("staff-create"), reverse("training-list"),
             reverse("training-detail", args=[programme.district_training.pk]),
             reverse("training-create"),
             reverse("training-attendance-import", args=[programme.district_training.pk]),
             reverse("coverage-overview"), reverse("coverage-district", args=[cast.x.pk]),
             reverse("assessor-list"), reverse("assessor-workload"), reverse("assessor-rules"),
             reverse("campaign-list"), reverse("campaign-detail", args=[campaign.pk]),
             reverse("campaign-week", args=[campaign.pk, 1]), reverse("campaign-create"),
             reverse("assessment-assign", args=[assessment.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        # The value of an option, a radio button or a check box is a code sent back,
        # never shown ("district" as a level, "score" as a goal).
        html = re.sub(r'(<option[^>]*?) value="[^"]*"', r"\1", response.content.decode())
        html = re.sub(r'(<input type="(?:radio|checkbox)"[^>]*?) value="[^"]*"', r"\1", html)
        try:
            assert_reads_in_hindi(html, catalogue)
        except AssertionError as exc:
            raise AssertionError(url) from exc
    html = client.get(reverse("assessor-rules")).content.decode()
    assert "मूल्यांकनकर्ता नियम" in html and "मूल्यांकन की जा रही सुविधा से नहीं" in html
