"""Who may be given an assessment to score: the assessor rules, and why someone is not
offered.

The rules are data (EligibilityRuleSet / EligibilityRule): the newest rule set in force
on the assessment's start date applies, with its rule for the assessment's kind. On top
of them stands the access rule of accounts.access: only an active account holding an
assessor, quality-team or quality-unit role over the facility can be assigned at all
(assessments.services.eligible_assessors).

`reasons()` is a plain function of the rule, what the register says of the person and the
assessment; the selectors below fetch those in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from srishti.accounts import access
from srishti.assessments.models import Assessment
from srishti.geography.models import FacilityType

from .models import LEVEL_RANK, Assessor, AssessorLevel, EligibilityRule, EligibilityRuleSet


@dataclass(frozen=True)
class AssessorFacts:
    """What the register says of one assessor."""

    level: str
    tool_ids: frozenset[int]
    facility_types: frozenset[str]
    certificate_valid_until: dt.date | None
    active: bool
    home_facility_id: int | None
    home_district_id: int | None
    home_district_name: str = ""


@dataclass(frozen=True)
class Target:
    """What the rules look at in an assessment."""

    kind: str
    tool_id: int
    tool_name: str
    facility_type: str
    facility_id: int
    district_id: int
    on: dt.date


def target_of(assessment: Assessment) -> Target:
    """Reads assessment.version.tool and assessment.facility (select_related them)."""
    return Target(assessment.kind, assessment.version.tool_id, str(assessment.version.tool),
                  assessment.facility.facility_type, assessment.facility_id,
                  assessment.facility.district_id, assessment.start_date)


def facts_of(assessor: Assessor) -> AssessorFacts:
    """Reads assessor.staff (with district) and assessor.tools (prefetch them on lists)."""
    staff = assessor.staff
    return AssessorFacts(
        level=assessor.level, tool_ids=frozenset(t.pk for t in assessor.tools.all()),
        facility_types=frozenset(assessor.facility_types),
        certificate_valid_until=assessor.certificate_valid_until, active=assessor.active,
        home_facility_id=staff.facility_id, home_district_id=staff.district_id,
        home_district_name=staff.district.name if staff.district_id else "")


def reasons(rule: EligibilityRule | None, facts: AssessorFacts | None,
            target: Target) -> list[str]:
    """Why the rule does not let this assessor score the assessment; [] when it does.

    No rule (none in force for this kind of assessment): nothing is asked of the register.
    """
    if rule is None:
        return []
    if facts is None:
        return [_("not in the assessor register")]
    found = []
    if not facts.active:
        found.append(_("marked inactive in the assessor register"))
    if rule.trained_for_tool and target.tool_id not in facts.tool_ids:
        found.append(_("not trained for %(tool)s") % {"tool": target.tool_name})
    if rule.trained_for_facility_type and target.facility_type not in facts.facility_types:
        found.append(_("not trained for %(type)s facilities")
                     % {"type": FacilityType(target.facility_type).label})
    if LEVEL_RANK[facts.level] < LEVEL_RANK[rule.minimum_level]:
        found.append(_("%(level)s level; a %(kind)s assessment needs %(minimum)s level or "
                       "above") % {
            "level": AssessorLevel(facts.level).label,
            "kind": Assessment.Kind(target.kind).label,
            "minimum": AssessorLevel(rule.minimum_level).label})
    if (rule.certificate_current and facts.certificate_valid_until is not None
            and facts.certificate_valid_until < target.on):
        found.append(_("assessor certificate expired on %(date)s") % {
            "date": formats.date_format(facts.certificate_valid_until)})
    if rule.not_home_facility and facts.home_facility_id == target.facility_id:
        found.append(_("works at the assessed facility"))
    if rule.not_home_district and facts.home_district_id == target.district_id:
        found.append(_("from the same district (%(district)s)")
                     % {"district": facts.home_district_name})
    return found


def rule_set_in_force(on: dt.date) -> EligibilityRuleSet | None:
    """The newest rule set in force on a day."""
    return (EligibilityRuleSet.objects.filter(valid_from__lte=on)
            .order_by("-valid_from", "-id").first())


def rule_for(assessment: Assessment) -> tuple[EligibilityRuleSet | None, EligibilityRule | None]:
    rule_set = rule_set_in_force(assessment.start_date)
    if rule_set is None:
        return None, None
    return rule_set, rule_set.rules.filter(assessment_kind=assessment.kind).first()


def _register_of_accounts(user_ids) -> dict[int, Assessor]:
    """{account id: register entry} for the accounts linked to an assessor; two queries."""
    entries = (Assessor.objects.filter(staff__account_id__in=list(user_ids))
               .select_related("staff__district").prefetch_related("tools"))
    return {a.staff.account_id: a for a in entries}


def eligible_user_ids(*, assessment: Assessment, user_ids) -> set[int]:
    """Of these accounts (already holding a scoring role over the facility), those the
    rules in force let score the assessment."""
    _rule_set, rule = rule_for(assessment)
    if rule is None:
        return set(user_ids)
    target = target_of(assessment)
    register = _register_of_accounts(user_ids)
    return {uid for uid in user_ids
            if not reasons(rule, facts_of(register[uid]) if uid in register else None, target)}


@dataclass
class NotOffered:
    name: str
    reasons: list[str]
    level: str = ""  # the register level, when in the register


@dataclass
class AssessorChoices:
    """The assignment page's people: offered, and the others with the reasons."""

    offered: list = field(default_factory=list)  # accounts (accounts.User)
    not_offered: list[NotOffered] = field(default_factory=list)
    rule_set: EligibilityRuleSet | None = None
    rule: EligibilityRule | None = None


def _label(user) -> str:
    return user.get_full_name() or user.username


def assessor_choices(*, user, assessment: Assessment) -> AssessorChoices:
    """Who the user may assign to the assessment, and who is not offered and why: the
    accounts with a scoring role over the facility that the rules turn away, and the
    register's assessors the user sees who cannot be assigned (no account, no role over
    the facility, or the rules). A fixed number of queries.
    """
    from srishti.assessments.services import eligible_assessors

    rule_set, rule = rule_for(assessment)
    target = target_of(assessment)
    pool = list(eligible_assessors(facility=assessment.facility))
    register = _register_of_accounts([u.pk for u in pool])
    choices = AssessorChoices(rule_set=rule_set, rule=rule)
    for person in pool:
        entry = register.get(person.pk)
        why = reasons(rule, facts_of(entry) if entry else None, target)
        if why:
            choices.not_offered.append(NotOffered(_label(person), why,
                                                  entry.get_level_display() if entry else ""))
        else:
            choices.offered.append(person)
    # The register's other assessors the user sees, trained for the tool: people an
    # organiser would look for, told why they are not on the list.
    pooled = {u.pk for u in pool}
    others = (access.visible_assessors(user).filter(tools=target.tool_id)
              .select_related("staff__district", "staff__account")
              .prefetch_related("tools").order_by("staff__name"))
    for entry in others:
        account = entry.staff.account
        if account is not None and account.pk in pooled:
            continue
        why = []
        if account is None:
            why.append(_("has no log-in account"))
        elif not account.is_active:
            why.append(_("log-in account deactivated"))
        else:
            why.append(_("holds no assessor or quality role over this facility"))
        why += reasons(rule, facts_of(entry), target)
        choices.not_offered.append(NotOffered(entry.staff.name, why,
                                              entry.get_level_display()))
    choices.not_offered.sort(key=lambda n: n.name.casefold())
    return choices


def rule_summary(rule: EligibilityRule) -> list[str]:
    """What a rule asks, one phrase per condition, for the pages."""
    parts = [_("%(minimum)s level or above")
             % {"minimum": AssessorLevel(rule.minimum_level).label}]
    if rule.trained_for_tool:
        parts.append(_("trained for the tool"))
    if rule.trained_for_facility_type:
        parts.append(_("trained for the facility type"))
    if rule.certificate_current:
        parts.append(_("certificate valid on the assessment date"))
    if rule.not_home_facility:
        parts.append(_("not from the assessed facility"))
    if rule.not_home_district:
        parts.append(_("not from the assessed facility's district"))
    return parts
