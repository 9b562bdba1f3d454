"""Offline capture in a real Chromium: answers kept on the device survive reloads and
browser restarts, reach the server exactly once, survive a connection cut mid-sync, and
conflicts between two devices are shown with both values."""

import io
import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from srishti.assessments.models import (
    Assessment,
    AssessmentScore,
    Response,
    ResponseChange,
)
from srishti.assessments.services import assessment_scorecard
from srishti.sync.models import ResponsePhoto, SyncBatch

from .conftest import CHROMIUM, PASSWORD, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BATCHES = "**/api/sync/assessments/*/batches"


@pytest.fixture
def world(capture_world):
    return capture_world


def plan(i: int) -> tuple[str, str]:
    """A realistic mix: full scores, gaps with their remark, NA."""
    return [("2", ""), ("2", ""), ("1", f"Gap noted at point {i}"), ("2", ""), ("na", "")][i % 5]


def ready(page) -> None:
    # A locator, not wait_for_function: the page's CSP forbids the eval that one needs.
    page.locator("html[data-offline-ready='1']").wait_for(state="attached")


def open_capture(page, url) -> None:
    page.goto(url)
    ready(page)


def make_available_offline(page, world) -> None:
    open_capture(page, world.overview)
    page.click("#offline-keep [data-offline=keep]")
    expect(page.locator("#offline-keep .offline-keep-status")).to_contain_text(
        "Available offline", timeout=30_000)


def answer(page, checkpoint, value, remark="", status="Saved on this device") -> None:
    card = page.locator(f"#cp-{checkpoint.pk}")
    card.locator(f".cp-levels button[value='{value}']").click()
    if remark:
        # A score below full: the page asks for the remark before keeping anything.
        expect(card).to_have_class(re.compile("cp--needs-remark"))
        card.locator("textarea").fill(remark)
        card.locator(".cp-save").click()
    expect(card.locator(".cp-status")).to_have_text(re.compile(status))


def expect_answer(page, checkpoint, value, remark, status) -> None:
    card = page.locator(f"#cp-{checkpoint.pk}")
    expect(card.locator(".cp-levels button[aria-pressed='true']")).to_have_attribute(
        "value", value)
    expect(card.locator("textarea")).to_have_value(remark)
    expect(card.locator(".cp-status")).to_have_text(status)


def pending(page):
    return page.locator("#offline-pending")


def stored(assessment) -> dict[int, tuple[str, str]]:
    return {cid: ("na" if v is None else floatformat(v, -1), remark) for cid, v, remark in
            Response.objects.filter(assessment=assessment)
            .values_list("checkpoint_id", "value", "remark")}


def expected(checkpoints) -> dict[int, tuple[str, str]]:
    return {cp.pk: plan(i) for i, cp in enumerate(checkpoints)}


def department_score(assessment, name="Emergency") -> str:
    card = assessment_scorecard(assessment)
    score = next(d for d in card.departments if d.name == name).tally.score
    return f"{floatformat(score, 1)}%"


def test_twenty_answers_given_offline_survive_a_reload_and_reach_the_server_once(
        new_page, world):
    page = new_page()
    log_in(page, "assessor", next_url=world.overview)
    make_available_offline(page, world)
    open_capture(page, world.url)
    targets = world.checkpoints[:20]

    page.context.set_offline(True)
    for i, checkpoint in enumerate(targets):
        answer(page, checkpoint, *plan(i))
    expect(pending(page)).to_have_text("20")
    assert not Response.objects.filter(assessment=world.assessment).exists()

    page.reload()  # still offline: the service worker serves the kept page
    ready(page)
    for i, checkpoint in enumerate(targets):
        expect_answer(page, checkpoint, *plan(i), "Saved on this device")
    expect(pending(page)).to_have_text("20")
    expect(page.locator("#offline-bar")).to_have_attribute("data-state", "offline")

    page.context.set_offline(False)  # the page sends them by itself
    expect(pending(page)).to_have_text("0")
    for i, checkpoint in enumerate(targets):
        expect_answer(page, checkpoint, *plan(i), "Synced")
    assert stored(world.assessment) == expected(targets)
    assert ResponseChange.objects.filter(response__assessment=world.assessment).count() == 20
    assert SyncBatch.objects.count() == 1
    # The score card the page shows after the sync is the one stored on the server.
    expect(page.locator("#dept-score")).to_have_text(department_score(world.assessment))


def test_a_connection_cut_in_the_middle_of_a_sync_is_retried_without_duplicate_or_loss(
        new_page, world):
    page = new_page()
    log_in(page, "assessor", next_url=world.url)
    ready(page)
    page.evaluate("srishtiOffline.config.batchSize = 10; "
                  "srishtiOffline.config.retryDelays = [200, 200, 200]")
    targets = world.checkpoints[:20]
    page.context.set_offline(True)
    for i, checkpoint in enumerate(targets):
        answer(page, checkpoint, *plan(i))

    calls = []

    def cut(route):
        calls.append(route.request.post_data_json)
        if len(calls) == 1:
            route.fetch()  # the server applies the first batch ...
            route.abort("connectionreset")  # ... and its answer is lost on the way back
        elif len(calls) == 3:
            route.abort("connectionreset")  # the second batch never reaches the server
        else:
            route.continue_()

    page.route(BATCHES, cut)
    page.context.set_offline(False)
    expect(pending(page)).to_have_text("0", timeout=20_000)

    keys = [call["key"] for call in calls]
    # Each retry sent the same batch under the same idempotency key.
    assert len(calls) == 4 and keys[0] == keys[1] and keys[2] == keys[3] != keys[0]
    assert calls[0] == calls[1] and calls[2] == calls[3]
    assert stored(world.assessment) == expected(targets)
    assert ResponseChange.objects.filter(response__assessment=world.assessment).count() == 20
    assert SyncBatch.objects.count() == 2
    for i, checkpoint in enumerate(targets):
        expect_answer(page, checkpoint, *plan(i), "Synced")


def test_two_devices_changing_the_same_checkpoint_offline_keep_both_values(new_page, world):
    target = world.checkpoints[0]
    first = new_page()
    log_in(first, "assessor", next_url=world.url)
    second = new_page(viewport=PHONE)
    log_in(second, "district_officer", next_url=world.url)
    ready(first)
    ready(second)

    first.context.set_offline(True)
    second.context.set_offline(True)
    answer(first, target, "2")
    answer(second, target, "1", "Only the day shift is covered")

    first.context.set_offline(False)
    expect(pending(first)).to_have_text("0")
    second.context.set_offline(False)  # the second to sync meets the first one's answer
    conflict = second.locator(f"#cp-{target.pk} .cp-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".cp-theirs")).to_contain_text("assessor")
    expect(conflict.locator(".cp-theirs .cp-value")).to_have_text("2")
    expect(conflict.locator(".cp-mine .cp-value")).to_have_text("1")
    expect(conflict.locator(".cp-mine")).to_contain_text("Only the day shift is covered")
    expect(second.locator("#offline-attention")).to_have_text("1")
    assert Response.objects.get(checkpoint=target).value == 2  # nothing overwritten
    conflict.evaluate("box => box.scrollIntoView({block: 'center'})")
    screenshot(second, "offline-conflict-en", full_page=False)

    # The choice waits on the device, also across a reload.
    second.reload()
    ready(second)
    expect(second.locator(f"#cp-{target.pk} .cp-conflict")).to_be_visible()

    second.locator(f"#cp-{target.pk}").get_by_role("button", name="Use mine").click()
    expect(second.locator(f"#cp-{target.pk} .cp-status")).to_have_text("Synced")
    history = list(ResponseChange.objects.filter(response__checkpoint=target)
                   .order_by("revision").values_list("new_value", "new_remark",
                                                     "user__username"))
    assert [(float(v), r, u) for v, r, u in history] == [
        (2.0, "", "assessor"), (1.0, "Only the day shift is covered", "district_officer")]
    expect(second.locator("#offline-attention")).to_have_text("0")


def test_keep_theirs_drops_the_device_answer_and_writes_nothing(new_page, world):
    target = world.checkpoints[1]
    first = new_page()
    log_in(first, "assessor", next_url=world.url)
    second = new_page()
    log_in(second, "district_officer", next_url=world.url)
    ready(second)
    second.context.set_offline(True)
    answer(second, target, "2")
    answer(first, target, "na", status="Saved")  # online, straight to the server

    second.context.set_offline(False)
    card = second.locator(f"#cp-{target.pk}")
    card.get_by_role("button", name="Keep theirs").click()
    expect(card.locator(".cp-levels button[aria-pressed='true']")).to_have_attribute(
        "value", "na")
    expect(card.locator(".cp-conflict")).to_have_count(0)
    expect(second.locator("#offline-attention")).to_have_text("0")
    assert ResponseChange.objects.filter(response__checkpoint=target).count() == 1


def test_an_online_save_whose_request_fails_is_kept_and_sent_once(new_page, world):
    target = world.checkpoints[2]
    page = new_page()
    log_in(page, "assessor", next_url=world.url)
    ready(page)
    page.evaluate("srishtiOffline.config.retryDelays = [200]")
    seen = []

    def lost(route):
        seen.append(route.request.post_data)
        route.fetch()  # saved on the server, the answer lost on the way back
        route.abort("connectionreset")

    page.route("**/checkpoints/*/save/", lost)
    # Kept on the device, then synced through a batch 200 ms later: the first status may
    # be gone before it is looked at.
    answer(page, target, "2", status="Saved on this device|Synced")
    expect(page.locator(f"#cp-{target.pk} .cp-status")).to_have_text("Synced")
    assert len(seen) == 1
    assert ResponseChange.objects.filter(response__checkpoint=target).count() == 1
    assert SyncBatch.objects.get().answer["results"][0]["status"] == "replayed"


def test_answers_waiting_on_the_device_survive_a_browser_restart(browser, live_server, world,
                                                                 tmp_path):
    launch = {"executable_path": CHROMIUM, "base_url": live_server.url, "viewport": PHONE,
              "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                       "--disable-component-update", "--disable-sync", "--no-first-run",
                       "--disable-quic"]}
    chromium = browser.browser_type
    profile = tmp_path / "profile"
    targets = world.checkpoints[:5]

    context = chromium.launch_persistent_context(profile, **launch)
    try:
        page = context.new_page()
        log_in(page, "assessor", PASSWORD, next_url=world.overview)
        make_available_offline(page, world)
        open_capture(page, world.url)
        context.set_offline(True)
        for i, checkpoint in enumerate(targets):
            answer(page, checkpoint, *plan(i))
    finally:
        context.close()  # the browser quits with five answers on the device only

    context = chromium.launch_persistent_context(profile, **launch)
    try:
        context.set_offline(True)
        page = context.new_page()
        open_capture(page, world.url)
        for i, checkpoint in enumerate(targets):
            expect_answer(page, checkpoint, *plan(i), "Saved on this device")
        expect(pending(page)).to_have_text("5")
        context.set_offline(False)
        expect(pending(page)).to_have_text("0")
    finally:
        context.close()
    assert stored(world.assessment) == expected(targets)


def test_a_photo_taken_offline_is_resized_and_uploaded_with_resume(new_page, world, settings,
                                                                   tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    target = world.checkpoints[0]
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=world.url)
    ready(page)
    page.evaluate("srishtiOffline.config.chunkSize = 64 * 1024; "
                  "srishtiOffline.config.retryDelays = [200]")
    picture = io.BytesIO()
    # Noise: a JPEG of it stays large, so the upload takes several chunks.
    Image.effect_noise((3000, 2000), 40).convert("RGB").save(picture, "PNG")

    page.context.set_offline(True)
    with page.expect_file_chooser() as chooser:
        page.locator(f"#cp-{target.pk} [data-offline=photo]").click()
    chooser.value.set_files(files=[{"name": "ward.png", "mimeType": "image/png",
                                    "buffer": picture.getvalue()}])
    thumb = page.locator(f"#cp-{target.pk} .cp-photo")
    expect(thumb).to_contain_text("On this device")
    expect(page.locator("#offline-photos")).to_have_text("1")

    chunks = []

    def cut_once(route):
        chunks.append(route.request.url)
        if len(chunks) == 2:
            route.fetch()  # the second chunk arrives; its answer does not
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/sync/photos/*/chunks?*", cut_once)
    page.context.set_offline(False)
    expect(thumb).to_contain_text("Uploaded", timeout=20_000)
    photo = ResponsePhoto.objects.get()
    assert photo.complete and photo.checkpoint_id == target.pk
    assert photo.received == photo.size == photo.file.size
    with Image.open(photo.file.path) as kept:
        assert kept.format == "JPEG" and max(kept.size) == 1600  # resized on the device
    offsets = [int(url.rsplit("offset=", 1)[1]) for url in chunks]
    # After the cut, the upload resumed from what the server had: nothing was sent twice.
    assert offsets == sorted(set(offsets)) and offsets[0] == 0 and len(offsets) > 3
    expect(page.locator("#offline-photos")).to_have_text("0")


def test_logging_out_clears_what_the_device_kept(new_page, world):
    page = new_page()
    log_in(page, "assessor", next_url=world.overview)
    make_available_offline(page, world)
    assert page.evaluate("caches.has('srishti-pages')")

    page.click("form.logout button")
    page.wait_for_url(re.compile("/accounts/login/"))
    assert not page.evaluate("caches.has('srishti-pages')")
    kept = page.evaluate("""new Promise(r => indexedDB.open('srishti-offline').onsuccess = e =>
        e.target.result.transaction('packages').objectStore('packages').count().onsuccess =
        c => r(c.target.result))""")
    assert kept == 0


def test_logging_out_with_answers_not_yet_sent_asks_first(new_page, world):
    page = new_page()
    log_in(page, "assessor", next_url=world.url)
    ready(page)
    page.context.set_offline(True)
    answer(page, world.checkpoints[0], "2")
    # Kept on the device before the click: on a busy machine the click could otherwise
    # come first, find nothing waiting and log out into a dead network.
    expect(pending(page)).to_have_text("1")
    # Answered as it opens: a dialog held open while the click waits for the form's
    # navigation (which the dialog itself holds back) made this test time out at times.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message),
                                        dialog.dismiss()))  # the person stays
    page.click("form.logout button")
    for _ in range(100):
        if asked:
            break
        page.wait_for_timeout(100)
    assert len(asked) == 1 and "not reached the server" in asked[0]
    assert "/departments/" in page.url  # still logged in, the answer still waiting
    expect(pending(page)).to_have_text("1")


def test_on_a_phone_the_network_dies_mid_assessment_and_every_answer_arrives_once(
        new_page, world):
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=world.overview)
    make_available_offline(page, world)
    open_capture(page, world.url)
    online, offline = world.checkpoints[:5], world.checkpoints[5:17]
    for i, checkpoint in enumerate(online):
        answer(page, checkpoint, *plan(i), status="Saved")

    page.context.set_offline(True)  # the network dies; the assessor keeps scoring
    for i, checkpoint in enumerate(offline[:6], start=5):
        answer(page, checkpoint, *plan(i))
    # A reload without network: the kept page is older than the five online answers, and
    # still shows them (and the six waiting ones).
    page.reload()
    ready(page)
    for i, checkpoint in enumerate(online):
        expect_answer(page, checkpoint, *plan(i), re.compile("Saved|Synced"))
    for i, checkpoint in enumerate(offline[:6], start=5):
        expect_answer(page, checkpoint, *plan(i), "Saved on this device")
    for i, checkpoint in enumerate(offline[6:], start=11):
        answer(page, checkpoint, *plan(i))
    answer(page, online[0], "0", "Register missing since May")  # a change of mind
    expect(pending(page)).to_have_text("13")
    expect(page.locator("#offline-bar")).to_have_attribute("data-state", "offline")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(f"#cp-{offline[-1].pk}").scroll_into_view_if_needed()
    screenshot(page, "offline-phone-en", full_page=False)

    page.context.set_offline(False)  # the network is back
    expect(pending(page)).to_have_text("0")
    expect(page.locator("#offline-bar")).to_have_attribute("data-state", "synced")

    want = expected(online + offline)
    want[online[0].pk] = ("0", "Register missing since May")
    assert stored(world.assessment) == want
    changes = ResponseChange.objects.filter(response__assessment=world.assessment)
    assert changes.count() == 5 + 12 + 1  # every answer once, the change of mind once
    assert changes.values("client_id").distinct().count() == changes.count()

    # The stored score card is what the engine computes, and the page shows it.
    assessment = Assessment.objects.get(pk=world.assessment.pk)
    assert AssessmentScore.objects.get(assessment=assessment).overall == pytest.approx(
        assessment_scorecard(assessment).overall)
    expect(page.locator("#dept-score")).to_have_text(department_score(assessment))
    expect(page.locator("#capture-summary")).to_contain_text(
        f"17 / {len(world.checkpoints)}")


def test_the_app_is_installable(new_page, world):
    page = new_page()
    log_in(page, "assessor", next_url=world.overview)
    ready(page)
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled by the worker
    ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is an incognito profile, where nothing installs: all else holds.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and '"Srishti"' in manifest["data"]


def test_offline_the_overview_counts_what_waits_and_other_pages_say_where_to_go(new_page,
                                                                               world):
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=world.overview)
    make_available_offline(page, world)
    open_capture(page, world.url)
    page.context.set_offline(True)
    answer(page, world.checkpoints[0], "2")
    answer(page, world.checkpoints[1], "na")

    open_capture(page, world.overview)  # kept: served by the worker
    waiting = page.locator(f".cap-dept[data-department='{world.emergency.pk}'] .cap-dept-local")
    expect(waiting).to_be_visible()
    expect(waiting.locator("b")).to_have_text("2")

    page.goto("/facilities/")  # never kept: the offline page, listing what is
    expect(page.locator("h1")).to_have_text("No connection")
    link = page.locator("#offline-list a").first
    expect(link).to_have_attribute("href", world.overview)
    expect(page.locator("#offline-list")).to_contain_text("Emergency")
    link.click()
    expect(page.locator("h1")).to_contain_text("Departments")
