"""The AAM-SC pages of the demo: the capture page says why a checkpoint is not applicable
and shows the checklist in the reader's language with the other a tap away; the score
card shows themes; a DH score card shows its programme scores; a department can be
marked as not present."""

from __future__ import annotations

import pytest
from django.urls import reverse

from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
from srishti.demo.checklist import demo_checklist
from srishti.demo.load import _demo_aam_sc
from srishti.geography.models import Facility
from srishti.geography.services import facilities_create
from tests.factories import StateFactory, reopened

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "", "pw-for-tests-only"))
    return client


@pytest.fixture
def sub_centre_a():
    rule_sets_seed()
    _demo_aam_sc(StateFactory(name="Bihar"))
    return reopened(Assessment.objects.get(facility__name="AAM Sub-centre Begusarai 01"))


def _department_url(assessment):
    department = assessment.version.departments.get()
    return reverse("capture-department", args=[assessment.pk, department.pk])


def test_capture_page_says_why_checkpoints_are_not_applicable(admin_client, sub_centre_a):
    html = admin_client.get(_department_url(sub_centre_a)).content.decode()

    assert "Not applicable: for type B sub-centres only; this one is type A." in html
    assert ("Not applicable: this sub-centre does not offer the Mental health service package"
            in html)
    # Offered packages (Eye) and checkpoints for every sub-centre keep their buttons.
    assert "A vision chart is hung at the right distance." in html
    assert html.count('class="cp-na-reason"') == sum(
        1 for tag in sub_centre_a.version.checkpoints.values_list("service", flat=True)
        if tag in {"SC Type B", "Elderly", "Palliative", "Emergency", "Mental",
                   "Elderly & Palliative"})


def test_capture_page_shows_english_with_hindi_a_tap_away(admin_client, sub_centre_a):
    html = admin_client.get(_department_url(sub_centre_a)).content.decode()

    assert "<h1>Sub-centre</h1>" in html
    assert "Soap is at the wash basin." in html
    assert '<details class="cp-other"><summary>हिन्दी</summary><p>वॉश बेसिन पर साबुन है।' in html


def test_capture_page_in_hindi_shows_hindi_with_english_a_tap_away(admin_client, sub_centre_a):
    admin_client.post(reverse("set_language"), {"language": "hi", "next": "/"})

    html = admin_client.get(_department_url(sub_centre_a)).content.decode()

    assert "<h1>उप-स्वास्थ्य केंद्र</h1>" in html
    assert ('<p class="cp-text">वॉश बेसिन पर साबुन है।</p>' in html)
    assert '<summary>English</summary><p>Soap is at the wash basin.' in html


def test_saving_an_answer_keeps_the_language_of_the_checkpoint(admin_client, sub_centre_a):
    admin_client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    checkpoint = sub_centre_a.version.checkpoints.get(text="Soap is at the wash basin.")

    response = admin_client.post(
        reverse("capture-save", args=[sub_centre_a.pk, checkpoint.pk]),
        {"value": "2", "base_revision": "1", "remark": ""}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "वॉश बेसिन पर साबुन है।" in html and "<summary>English</summary>" in html


def test_score_card_shows_the_themes_and_the_unverified_rules(admin_client, sub_centre_a):
    html = admin_client.get(reverse("assessment-detail", args=[sub_centre_a.pk])).content.decode()

    assert 'id="themes"' in html
    assert "Non-communicable diseases" in html
    # It offers eye, ENT and oral care: elderly and palliative, emergency and mental
    # health are not offered.
    assert html.count("not offered") == 3
    assert "thresholds not verified" in html


def test_score_card_in_hindi_names_the_themes_in_hindi(admin_client, sub_centre_a):
    admin_client.post(reverse("set_language"), {"language": "hi", "next": "/"})

    html = admin_client.get(reverse("assessment-detail", args=[sub_centre_a.pk])).content.decode()

    assert "गैर-संचारी रोग" in html
    assert "<summary>English</summary><p>Non-communicable diseases</p>" in html


@pytest.fixture
def dh_assessment():
    from srishti.assessments.services import assessment_create, responses_import

    rule_sets_seed()
    state = StateFactory(name="Bihar")
    facilities_create(state=state, rows=[("Patna", "DH", "DH Patna")])
    version = checklist_version_create(
        parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"), facility_type="DH",
        label="groups", groups=[("LaQshya", ["Labour Room"]), ("MusQan", ["OPD", "IPD"])])
    import datetime as dt
    assessment = assessment_create(facility=Facility.objects.get(), version=version,
                                   start_date=dt.date(2025, 1, 1))
    responses_import(assessment=assessment, answers=[
        (pk, 2, "") for pk in version.checkpoints.values_list("id", flat=True)])
    return assessment


def test_dh_score_card_shows_programme_scores_with_their_badges(admin_client, dh_assessment):
    html = admin_client.get(reverse("assessment-detail", args=[dh_assessment.pk])).content.decode()

    assert 'id="programme-scores"' in html
    assert "LaQshya" in html and "MusQan" in html
    assert "badge-platinum" in html


def test_a_department_can_be_marked_not_present_from_the_overview(admin_client, dh_assessment):
    department = dh_assessment.version.departments.get(name="IPD")

    response = admin_client.post(reverse("capture-presence", args=[dh_assessment.pk,
                                                                   department.pk]),
                                 {"present": "0"})

    assert response.status_code == 302
    dh_assessment.refresh_from_db()
    assert dh_assessment.not_present == ["IPD"]
    html = admin_client.get(reverse("assessment-capture", args=[dh_assessment.pk])
                            ).content.decode()
    assert "not present at this facility" in html
    card = admin_client.get(reverse("assessment-detail", args=[dh_assessment.pk])
                            ).content.decode()
    assert 'id="not-present"' in card


def test_marking_not_present_needs_the_right_to_score(client, dh_assessment):
    client.force_login(User.objects.create_user("outsider", "", "pw-for-tests-only"))
    department = dh_assessment.version.departments.get(name="IPD")

    response = client.post(reverse("capture-presence", args=[dh_assessment.pk, department.pk]),
                           {"present": "0"})

    assert response.status_code == 404
    dh_assessment.refresh_from_db()
    assert dh_assessment.not_present == []


def test_the_service_profile_is_set_on_the_facility_page_and_rescores(admin_client,
                                                                      sub_centre_a):
    facility = sub_centre_a.facility
    page = admin_client.get(reverse("facility-detail", args=[facility.pk])).content.decode()
    assert 'id="service-profile"' in page and 'value="Eye" checked' in page
    before = sub_centre_a.score.maximum

    response = admin_client.post(reverse("facility-service-profile", args=[facility.pk]), {
        "services": ["Eye", "ENT", "Oral", "Mental"], "subcentre_type": "B"})

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.services, facility.subcentre_type) == (["Eye", "ENT", "Oral", "Mental"], "B")
    sub_centre_a.refresh_from_db()
    assert sub_centre_a.score.maximum > before


def test_the_service_profile_cannot_be_set_without_the_right_to_assess(client, sub_centre_a):
    client.force_login(User.objects.create_user("outsider", "", "pw-for-tests-only"))
    facility = sub_centre_a.facility

    response = client.post(reverse("facility-service-profile", args=[facility.pk]),
                           {"services": ["Mental"], "subcentre_type": "B"})

    assert response.status_code == 404
    facility.refresh_from_db()
    assert facility.subcentre_type == "A"


def test_an_unknown_package_posted_to_the_profile_is_refused_with_a_message(admin_client,
                                                                            sub_centre_a):
    facility = sub_centre_a.facility
    response = admin_client.post(reverse("facility-service-profile", args=[facility.pk]),
                                 {"services": ["Dental"], "subcentre_type": "A"}, follow=True)

    assert "Dental" in response.content.decode()
    facility.refresh_from_db()
    assert facility.services == ["Eye", "ENT", "Oral"]
