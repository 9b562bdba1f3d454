"""Registering a training, keeping its attendance, printing participation certificates."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from srishti.programme.models import Attendance, Training
from srishti.programme.services import attendance_set
from tests.conftest import fetch_file
from tests.reports.conftest import pdf_fonts, pdf_text


def test_the_district_officer_registers_a_training_once_even_if_posted_twice(client, cast):
    from srishti.checklists.services import tool_get

    nqas = tool_get(code="NQAS")
    client.force_login(cast.district_officer)
    page = client.get(reverse("training-create"))
    scopes = dict(page.context["form"].fields["scope"].choices)
    assert scopes == {f"district:{cast.x.pk}": "Xdistrict"}  # not the state, not Y
    data = {"title": "Internal assessor training", "kind": "internal_assessor",
            "scope": f"district:{cast.x.pk}", "start_date": "2025-01-06",
            "end_date": "2025-01-08", "venue": "Sadar Hospital", "organiser": "DQAU X",
            "trainers": "Dr Rao, Ms Kumari", "tools": [nqas.pk],
            "client_id": page.context["form"]["client_id"].value()}
    first = client.post(reverse("training-create"), data)
    second = client.post(reverse("training-create"), data)
    training = Training.objects.get()
    assert first.url == second.url == reverse("training-detail", args=[training.pk])
    assert (training.district, training.kind, list(training.tools.all())) == (
        cast.x, "internal_assessor", [nqas])


def test_a_forged_scope_is_refused(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("training-create"), {
        "title": "x", "kind": "workshop", "scope": f"state:{cast.x.state_id}",
        "start_date": "2025-01-06", "end_date": "2025-01-06"})
    assert response.status_code == 200 and "scope" in response.context["form"].errors
    assert not Training.objects.exists()


def test_the_end_date_before_the_start_is_refused(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("training-create"), {
        "title": "x", "kind": "workshop", "scope": f"district:{cast.x.pk}",
        "start_date": "2025-01-06", "end_date": "2025-01-01"})
    assert "end_date" in response.context["form"].errors


def test_attendance_is_saved_for_every_row_or_for_none(client, cast, programme):
    training = programme.district_training
    rows = {a.staff.name: a for a in Attendance.objects.filter(training=training)}
    sup, cs = rows["Dr. Asha Rani"], rows["Dr. Kamal Nath"]
    client.force_login(cast.district_officer)
    url = reverse("training-attendance-save", args=[training.pk])

    # A score for someone absent: refused, and the other row is not saved either.
    response = client.post(url, {f"status_{sup.pk}": "attended", f"score_{sup.pk}": "88",
                                 f"status_{cs.pk}": "absent", f"score_{cs.pk}": "40"},
                           follow=True)
    assert "Dr. Kamal Nath: Only someone who attended has a post-test score." in \
        response.content.decode()
    sup.refresh_from_db()
    assert sup.post_test_score is None

    client.post(url, {f"status_{sup.pk}": "attended", f"score_{sup.pk}": "88.5%",
                      f"status_{cs.pk}": "absent", f"score_{cs.pk}": ""})
    sup.refresh_from_db(), cs.refresh_from_db()
    assert (float(sup.post_test_score), cs.status) == (88.5, "absent")


def test_a_person_is_added_to_the_list_once(client, cast, programme):
    training = programme.district_training
    client.force_login(cast.district_officer)
    url = reverse("training-attendance-add", args=[training.pk])
    client.post(url, {"staff": programme.manager_g.pk, "status": "invited"})
    client.post(url, {"staff": programme.manager_g.pk, "status": "invited"})
    assert Attendance.objects.filter(training=training, staff=programme.manager_g).count() == 1
    # Someone of another district is not offered for a district's training.
    client.post(url, {"staff": programme.cs_y.pk, "status": "invited"})
    assert not Attendance.objects.filter(training=training, staff=programme.cs_y).exists()


def test_the_certificate_prints_in_hindi_and_english_with_the_score(client, cast, programme,
                                                                    tmp_path):
    training = programme.district_training
    programme.sup_f.name_hi = "डॉ. आशा रानी"
    programme.sup_f.save()
    row = Attendance.objects.get(training=training, staff=programme.sup_f)
    attendance_set(training=training, staff=programme.sup_f, status="attended",
                   post_test_score=92)
    client.force_login(cast.district_officer)
    response = fetch_file(client, reverse("training-certificate", args=[training.pk, row.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    # pdftotext moves the short-i vowel sign about; words without one read back intact.
    assert "Certificate of participation" in text and "प्रमाण पत्र" in text
    assert "किया जाता है" in text  # the Hindi body, beside the English one
    assert "डॉ. आशा रानी" in text and "Dr. Asha Rani" in text
    assert "took part in “Labour room protocols” held at Sadar Hospital from 4 Mar 2024 " \
           "to 5 Mar 2024" in text
    assert "92%" in text and row.certificate_number in text
    assert any("Devanagari" in font for font in pdf_fonts(response.content, tmp_path))


def test_all_certificates_are_one_page_each_for_those_who_attended(client, cast, programme,
                                                                   tmp_path):
    training = programme.district_training
    attendance_set(training=training, staff=programme.manager_g, status="absent")
    client.force_login(cast.district_officer)
    response = fetch_file(client, reverse("training-certificates", args=[training.pk]))
    text = pdf_text(response.content, tmp_path)
    assert text.count("SR-2024-") == 2  # the two who attended, not the absent one
    assert "Vinod Lal" not in text
    absent = Attendance.objects.get(training=training, staff=programme.manager_g)
    assert client.get(reverse("training-certificate",
                              args=[training.pk, absent.pk])).status_code == 404


def test_a_state_workshop_shows_a_district_only_its_own_people(client, cast, programme):
    client.force_login(cast.district_officer)
    page = client.get(reverse("training-detail", args=[programme.state_training.pk]))
    names = {a.staff.name for a in page.context["page"].rows}
    assert names == {"Dr. Asha Rani", "Vinod Lal"}
    assert page.context["page"].hidden == 1  # the civil surgeon of district Y
    assert not page.context["page"].can_organise
    assert "Save attendance" not in page.content.decode()


def test_the_training_page_runs_a_fixed_number_of_queries(client, cast, programme,
                                                          django_assert_max_num_queries):
    from srishti.programme.services import staff_member_create

    training = programme.district_training
    for i in range(15):
        staff, _ = staff_member_create(name=f"Nurse {i}", role="nursing_in_charge",
                                       place=cast.g)
        attendance_set(training=training, staff=staff, status="attended")
    client.force_login(cast.district_officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training-detail", args=[training.pk])).status_code == 200


def test_the_refresher_date_and_kind_show_on_the_persons_page(client, cast, programme):
    client.force_login(cast.facility_team)
    page = client.get(reverse("staff-detail", args=[programme.sup_f.pk]))
    trainings = [a.training.title for a in page.context["page"].attendance]
    assert trainings == ["Labour room protocols", "State workshop"]
    assert page.context["page"].attendance[0].training.start_date == dt.date(2024, 3, 4)
