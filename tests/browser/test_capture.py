"""An assessor scores a department on a phone; two people answering the same checkpoint."""

import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from srishti.assessments.models import Response, ResponseChange
from srishti.assessments.services import assessment_scorecard

from .conftest import PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(capture_world):
    return capture_world


def answer(page, checkpoint, value, remark=""):
    card = page.locator(f"#cp-{checkpoint.pk}")
    card.locator(f".cp-levels button[value='{value}']").click()
    if remark:
        # A score below full: the page asks for the remark before sending anything.
        expect(card).to_have_class(re.compile("cp--needs-remark"))
        expect(card.locator("textarea")).to_be_focused()
        card.locator("textarea").fill(remark)
        card.locator(".cp-save").click()
    expect(page.locator(f"#cp-{checkpoint.pk} .cp-status")).to_have_text(re.compile("Saved"))


def department_score(assessment, name="Emergency") -> str:
    card = assessment_scorecard(assessment)
    score = next(d for d in card.departments if d.name == name).tally.score
    return f"{floatformat(score, 1)}%"


def test_an_assessor_answers_ten_checkpoints_on_a_phone_and_finds_them_after_reload(
        new_page, world):
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=f"/assessments/{world.assessment.pk}/capture/")
    # The overview offers the assigned department only.
    expect(page.locator(".cap-dept a.button")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("text=Score this department")
    expect(page.locator("h1")).to_have_text("Emergency")
    plan = [("2", ""), ("2", ""), ("1", "Roster misses two nights"), ("na", ""), ("2", ""),
            ("0", "No crash cart in the room"), ("2", ""), ("1", "Partly labelled"),
            ("2", ""), ("2", "")]
    targets = world.checkpoints[:10]

    for checkpoint, (value, remark) in zip(targets[:-1], plan[:-1], strict=True):
        answer(page, checkpoint, value, remark)
    # The last one with the keyboard: Tab to the button, Enter; focus comes back to it.
    last = page.locator(f"#cp-{targets[-1].pk} .cp-levels button[value='2']")
    last.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#cp-{targets[-1].pk} .cp-status")).to_have_text(re.compile("Saved"))
    expect(page.locator(f"#cp-{targets[-1].pk} .cp-levels button[value='2']")).to_be_focused()

    # The live card, updated out of band after each save, shows the stored score, which
    # is what the engine computes from the database.
    expect(page.locator("#dept-score")).to_have_text(department_score(world.assessment))
    expect(page.locator("#capture-summary")).to_contain_text(
        f"10 / {len(world.checkpoints)}")

    page.reload()
    for checkpoint, (value, remark) in zip(targets, plan, strict=True):
        card = page.locator(f"#cp-{checkpoint.pk}")
        expect(card.locator(".cp-levels button[aria-pressed='true']")).to_have_attribute(
            "value", value)
        expect(card.locator("textarea")).to_have_value(remark)
    stored = dict(Response.objects.filter(assessment=world.assessment)
                  .values_list("checkpoint_id", "value"))
    assert len(stored) == 10 and stored[targets[3].pk] is None
    expect(page.locator("#dept-score")).to_have_text(department_score(world.assessment))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A tall phone screen: the page's top, the live card and the first checkpoints.
    page.set_viewport_size({"width": PHONE["width"], "height": 2000})
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "capture-phone-en", full_page=False)
    switch_language(page, "hi")
    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "capture-phone-hi", full_page=False)


def test_the_filters_show_only_the_unanswered_or_the_gaps(new_page, world):
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=world.url)
    answer(page, world.checkpoints[0], "2")
    answer(page, world.checkpoints[1], "0", "Missing")
    expect(page.locator("#count-gaps")).to_have_text("1")

    page.click(".cap-filters a[href^='?show=gaps']")
    expect(page.locator("article.cp")).to_have_count(1)
    page.click(".cap-filters a[href^='?show=unanswered']")
    expect(page.locator("article.cp")).to_have_count(len(world.checkpoints) - 2)


def test_two_people_answering_the_same_checkpoint_lose_nothing(new_page, world):
    target = world.checkpoints[0]
    first = new_page(viewport=PHONE)
    log_in(first, "assessor", next_url=world.url)
    second = new_page()
    log_in(second, "district_officer", next_url=world.url)  # opened before the first saves

    answer(first, target, "2")
    card = second.locator(f"#cp-{target.pk}")
    card.locator(".cp-levels button[value='1']").click()
    card.locator("textarea").fill("Only the day shift is covered")
    card.locator(".cp-save").click()

    conflict = second.locator(f"#cp-{target.pk} .cp-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".cp-theirs")).to_contain_text("assessor")
    expect(conflict.locator(".cp-theirs .cp-value")).to_have_text("2")
    expect(conflict.locator(".cp-mine")).to_contain_text("Only the day shift is covered")
    assert Response.objects.get(checkpoint=target).value == 2  # nothing overwritten yet

    conflict.get_by_role("button", name="Use mine").click()
    expect(second.locator(f"#cp-{target.pk} .cp-status")).to_have_text(re.compile("Saved"))
    assert [float(v) for v in ResponseChange.objects.filter(response__checkpoint=target)
            .order_by("revision").values_list("new_value", flat=True)] == [2.0, 1.0]

    second.locator(f"#cp-{target.pk} .cp-hist-btn").click()
    history = second.locator(f"#cp-{target.pk} .cp-changes li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("district_officer")
    expect(history.last).to_contain_text("assessor")


def test_keep_theirs_shows_the_other_answer_and_writes_nothing(new_page, world):
    target = world.checkpoints[1]
    first = new_page()
    log_in(first, "assessor", next_url=world.url)
    second = new_page()
    log_in(second, "district_officer", next_url=world.url)

    answer(first, target, "na")
    second.locator(f"#cp-{target.pk} .cp-levels button[value='2']").click()
    second.locator(f"#cp-{target.pk}").get_by_role("button", name="Keep theirs").click()

    card = second.locator(f"#cp-{target.pk}")
    expect(card.locator(".cp-levels button[aria-pressed='true']")).to_have_attribute("value",
                                                                                     "na")
    assert ResponseChange.objects.filter(response__checkpoint=target).count() == 1


def test_a_save_lost_to_the_network_is_kept_on_the_device_and_saved_once(new_page, world):
    # Offline capture (js/offline.js): the answer waits on the device, then syncs by itself.
    target = world.checkpoints[0]
    page = new_page(viewport=PHONE)
    log_in(page, "assessor", next_url=world.url)
    card = page.locator(f"#cp-{target.pk}")

    page.context.set_offline(True)
    card.locator(".cp-levels button[value='2']").click()
    expect(card.locator(".cp-status")).to_have_text("Saved on this device")
    assert not Response.objects.filter(checkpoint=target).exists()

    page.context.set_offline(False)
    expect(page.locator(f"#cp-{target.pk} .cp-status")).to_have_text("Synced")
    assert ResponseChange.objects.filter(response__checkpoint=target).count() == 1
