"""The management bits of pages owned by others: the score card's actions bar and history,
and the facility page's "New assessment" button. Whether to show each control is asked
of accounts.access, like every other permission."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from srishti.accounts import access

from ..forms import ReopenForm
from ..models import Assessment

register = template.Library()


def _url_or_blank(name: str, *args) -> str:
    # The capture pages are built separately; until their route exists there is no link.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("assessments/manage/actions.html", takes_context=True)
def assessment_actions(context, assessment: Assessment):
    """Submit / reopen / assign controls for the people allowed to use them, links to the
    gaps and the capture pages, and the submitted / reopened history (one query; two more
    for the unanswered checkpoints per department, shown before submitting)."""
    from ..services import unanswered_by_department

    user = context["request"].user
    submitted = assessment.status == Assessment.Status.SUBMITTED
    may_submit = not submitted and access.can_submit(user, assessment)
    unanswered = unanswered_by_department(assessment) if may_submit else []
    return {
        "assessment": assessment,
        "csrf_token": context.get("csrf_token"),
        "submitted": submitted,
        "may_edit": not submitted and access.can_edit_assessment(user, assessment),
        "may_submit": may_submit,
        "unanswered": unanswered,
        "unanswered_total": sum(n for _name, n in unanswered),
        "may_reopen": submitted and access.can_reopen(user, assessment),
        "may_assign": not submitted and access.can_create_assessment(user, assessment.facility),
        "capture_url": _url_or_blank("assessment-capture", assessment.pk),
        "events": list(assessment.events.select_related("user").order_by("at", "id")),
        "reopen_form": ReopenForm(auto_id="reopen_%s"),
    }


@register.simple_tag(takes_context=True)
def may_create_assessment(context, facility) -> bool:
    return access.can_create_assessment(context["request"].user, facility)
