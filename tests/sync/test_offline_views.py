"""The installable app: service worker, manifest, offline page, and what the capture pages
give the offline script."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from srishti.assessments.models import Assessment, Assignment
from srishti.assessments.services import assessment_create
from tests.factories import MembershipFactory, UserFactory

CSS = Path(finders.find("css/srishti.css")).read_text()


@pytest.fixture
def assessment(cast, demo_version):
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 6, 1))


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    source = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "__SRISHTI_" not in source


def test_every_file_of_the_app_shell_exists(client):
    source = client.get("/sw.js").content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))

    assert "/static/js/offline.js" in shell and "/offline/" in shell
    for url in shell:
        assert client.get(url).status_code == 200, url


def test_the_service_worker_changes_when_a_shell_file_does(client, settings, tmp_path):
    before = client.get("/sw.js").content
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "offline.css").write_text("/* changed */")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    finders.get_finder.cache_clear()
    try:
        after = client.get("/sw.js").content
    finally:
        finders.get_finder.cache_clear()
    assert after != before


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    manifest = response.json()

    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == "Srishti" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    accent = re.search(r"--accent:\s*(#[0-9a-f]{6})", CSS).group(1)
    assert manifest["theme_color"] == accent
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_offline_page_needs_no_login_and_holds_nobodys_data(client, cast):
    client.force_login(cast.facility_team)
    response = client.get("/offline/")
    assert response.status_code == 200
    assert b"facility_team" not in response.content and b"data-user" not in response.content


def test_every_page_links_the_manifest_and_loads_the_offline_script(client, cast):
    client.force_login(cast.facility_team)
    page = client.get("/", follow=True).content.decode()
    assert 'rel="manifest"' in page and "js/offline.js" in page
    assert f'data-user="{cast.facility_team.pk}"' in page
    assert "data-offline-warning" in page  # the log-out form warns about unsent answers


def test_the_overview_offers_to_keep_the_departments_the_person_scores(client, cast,
                                                                       assessment):
    emergency = assessment.version.departments.get(name="Emergency")
    assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                 facility=cast.f).user
    Assignment.objects.create(assessment=assessment, department=emergency, assessor=assessor)
    client.force_login(assessor)
    page = client.get(f"/assessments/{assessment.pk}/capture/").content.decode()

    pages = json.loads(re.search(r'data-pages="([^"]*)"', page).group(1).replace("&quot;", '"'))
    assert pages == [f"/assessments/{assessment.pk}/capture/",
                     f"/assessments/{assessment.pk}/departments/{emergency.pk}/"]
    assert 'id="offline-bar"' in page


def test_no_offer_to_keep_for_a_viewer_or_a_submitted_assessment(client, cast, assessment):
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=cast.x).user
    client.force_login(viewer)
    assert b'id="offline-keep"' not in client.get(
        f"/assessments/{assessment.pk}/capture/").content
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(cast.facility_team)
    assert b'id="offline-keep"' not in client.get(
        f"/assessments/{assessment.pk}/capture/").content


def test_the_department_page_names_itself_for_the_offline_script(client, cast, assessment):
    department = assessment.version.departments.get(name="Emergency")
    client.force_login(cast.facility_team)
    page = client.get(f"/assessments/{assessment.pk}/departments/{department.pk}/")
    html = page.content.decode()
    assert (f'data-assessment="{assessment.pk}" data-department="{department.pk}"') in html
    assert 'id="photo-input"' in html and 'data-offline="photo"' in html


def test_a_reader_gets_no_photo_button(client, cast, assessment):
    department = assessment.version.departments.get(name="Emergency")
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=cast.x).user
    client.force_login(viewer)
    html = client.get(f"/assessments/{assessment.pk}/departments/{department.pk}/").content
    assert b'id="photo-input"' not in html and b'data-offline="photo"' not in html
