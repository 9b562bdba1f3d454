"""Notifications: what happened or falls due, queued per person and channel, sent by the
worker. Messages hold no password and no link that logs anyone in."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from srishti.accounts.models import Role, User
from srishti.core.errors import DomainError

from .models import Channel, Notification, NotificationPreference, Topic

log = logging.getLogger(__name__)
PHONE = re.compile(r"^\+?[0-9]{10,15}$")


def preference_for(user) -> NotificationPreference:
    """The person's choices; unsaved defaults (every topic, by e-mail) when never saved."""
    found = NotificationPreference.objects.filter(user_id=user.pk).first()
    return found or NotificationPreference(user=user, topics=list(Topic.values))


def preference_save(*, user, topics: list[str], by_email: bool, by_sms: bool, phone: str,
                    language: str) -> NotificationPreference:
    phone = re.sub(r"[\s-]", "", phone or "")
    if phone and not PHONE.match(phone):
        raise DomainError(_("Write the mobile number as digits, 10 to 15 of them, "
                            "optionally after +."))
    if by_sms and not phone:
        raise DomainError(_("Give a mobile number to receive SMS."))
    preference = preference_for(user)
    preference.topics = [t for t in Topic.values if t in topics]
    preference.by_email, preference.by_sms, preference.phone = by_email, by_sms, phone
    preference.language = language if language in dict(settings.LANGUAGES) else "en"
    preference.save()
    return preference


def _link(path: str) -> str:
    return getattr(settings, "SRISHTI_SITE_URL", "").rstrip("/") + path


def notify(*, user, topic: str, key: str, subject, body) -> list[Notification]:
    """Queue a message about `key` to `user` on each channel they chose, once ever.
    `subject` and `body` are callables, rendered in the person's language."""
    preference = preference_for(user)
    if not user.is_active or topic not in preference.topics:
        return []
    channels = []
    if preference.by_email and user.email:
        channels.append(Channel.EMAIL)
    if preference.by_sms and preference.phone:
        channels.append(Channel.SMS)
    made = []
    with translation.override(preference.language):
        text_subject, text_body = str(subject())[:200], str(body())
    for channel in channels:
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, topic=topic, channel=channel,
                                                   key=key[:100], subject=text_subject,
                                                   body=text_body)
        except IntegrityError:
            continue  # told already
        from srishti.jobs.tasks import send_notification

        send_notification.enqueue(note.pk)
        made.append(note)
    return made


def notification_send(*, notification_id: int) -> None:
    """Send one queued message (the worker calls this)."""
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or note.status != Notification.Status.QUEUED:
        return
    try:
        if note.channel == Channel.EMAIL:
            EmailMessage(note.subject, note.body, to=[note.user.email]).send()
        else:
            from .sms import sms_backend

            sms_backend().send(phone=preference_for(note.user).phone, text=note.subject)
    except Exception as error:  # a mail server or gateway refusing: keep the reason
        log.warning("notification %s (%s) not sent: %s", note.pk, note.channel,
                    type(error).__name__)
        note.status, note.error = Notification.Status.FAILED, type(error).__name__
    else:
        note.status, note.sent_at = Notification.Status.SENT, timezone.now()
    note.save(update_fields=["status", "error", "sent_at", "updated_at"])


# --- what there is to tell -----------------------------------------------------------------

def assignment_made(sender, instance, created, **kwargs):
    """An assessor assigned to a department hears of it (post_save of Assignment)."""
    if not created:
        return
    assignment = instance
    assessment = assignment.assessment

    def subject():
        return _("Assigned to you: %(department)s, %(facility)s") % {
            "department": assignment.department.name, "facility": assessment.facility.name}

    def body():
        return _("You are assigned to score %(department)s in the assessment of "
                 "%(facility)s starting %(date)s.\n%(link)s") % {
            "department": assignment.department.name, "facility": assessment.facility.name,
            "date": date_format(assessment.start_date),
            "link": _link(reverse("assessment-capture", args=[assessment.pk]))}

    transaction.on_commit(lambda: notify(
        user=assignment.assessor, topic=Topic.ASSESSMENT_ASSIGNED,
        key=f"assigned:{assignment.pk}", subject=subject, body=body))


def _overdue_items(user, today: dt.date):
    from srishti.improvement.models import ActionItem, ActionStatus

    teams = [m.facility_id for m in user.memberships.all()
             if m.role == Role.FACILITY_QUALITY_TEAM and m.facility_id]
    # A block health team follows the items of every facility of its block.
    blocks = [m.block_id for m in user.memberships.all()
              if m.role == Role.BLOCK_HEALTH_TEAM and m.block_id]
    return (ActionItem.objects.filter(due_date__lt=today,
                                      status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
            .filter(Q(responsible_user=user) | Q(facility_id__in=teams)
                    | Q(facility__block_id__in=blocks))
            .select_related("facility", "checkpoint__standard").order_by("due_date", "pk"))


def notifications_collect(*, today: dt.date | None = None) -> int:
    """Queue what every active person should hear about today: overdue action items
    (a reminder a week), certifications about to expire and surveillance due (once each).
    For a daily cron job (`srishti manage send_notifications`)."""
    from srishti.certification.selectors import certification_alerts

    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    queued = 0
    people = User.objects.filter(is_active=True).prefetch_related("memberships")
    for user in people:
        for item in _overdue_items(user, today):
            def subject(item=item):
                return _("Overdue: action item at %(facility)s") % {
                    "facility": item.facility.name}

            def body(item=item):
                return _("The action on standard %(standard)s was due on %(date)s and is "
                         "not done.\n%(link)s") % {
                    "standard": item.checkpoint.standard.code,
                    "date": date_format(item.due_date),
                    "link": _link(reverse("action-item-detail", args=[item.pk]))}

            queued += len(notify(user=user, topic=Topic.OVERDUE_ACTIONS,
                                 key=f"overdue:{item.pk}:{year}-{week}",
                                 subject=subject, body=body))
        if not any(m.role in (Role.STATE_QUALITY_UNIT, Role.DIVISION_QUALITY_UNIT,
                              Role.DISTRICT_QUALITY_UNIT, Role.BLOCK_HEALTH_TEAM,
                              Role.FACILITY_QUALITY_TEAM) for m in user.memberships.all()):
            continue
        for alert in certification_alerts(user=user, today=today):
            topic = {"expiring": Topic.EXPIRING_CERTIFICATIONS,
                     "surveillance_due": Topic.SURVEILLANCE_DUE}.get(alert.kind)
            if topic is None:
                continue

            def subject(alert=alert):
                return f"{alert.label}: {alert.facility.name} ({alert.tool.code})"

            def body(alert=alert):
                return _("%(what)s: %(facility)s, %(tool)s, on %(date)s.\n%(link)s") % {
                    "what": alert.label, "facility": alert.facility.name,
                    "tool": alert.tool.code, "date": date_format(alert.due),
                    "link": _link(reverse("certification-alerts"))}

            queued += len(notify(user=user, topic=topic,
                                 key=f"{alert.kind}:{alert.record.pk}:{alert.due}",
                                 subject=subject, body=body))
    return queued
