"""Writes: programme records, each stored with the decision of the rules in force.

Who may call these is decided by accounts.access (can_manage_programmes) beforehand. A
Kayakalp award is a place in a cohort, so saving one Kayakalp record decides its whole
year again (and the next one, where last year's winners count), under a lock on the
state so that two people recording at once cannot both take the first place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from srishti.assessments.models import Assessment
from srishti.core.errors import DomainError
from srishti.geography.models import Facility, State

from . import decisions as d
from .models import ProgrammeRecord, ProgrammeRuleSet, Stage
from .rules_data import SEED_RULE_SETS


def rule_sets_seed() -> int:
    """Load the starting rule sets where a code is missing (flushed test databases, the
    demo); returns how many were added."""
    added = 0
    for data in SEED_RULE_SETS:
        _obj, created = ProgrammeRuleSet.objects.get_or_create(code=data["code"], defaults={
            "programme": data["programme"], "valid_from": data["valid_from"],
            "source": data["source"], "definition": dict(data)})
        added += created
    return added


def rule_set_in_force(programme: str, on: dt.date) -> ProgrammeRuleSet:
    sets = list(ProgrammeRuleSet.objects.filter(programme=programme))
    chosen = d.rule_set_for([{**r.definition, "programme": r.programme,
                              "valid_from": r.valid_from.isoformat(), "pk": r.pk}
                             for r in sets], programme, on)
    if chosen is None:
        raise DomainError(_("No rules of this programme were in force on %(date)s.")
                          % {"date": on.isoformat()})
    return next(r for r in sets if r.pk == chosen["pk"])


def default_cycle(programme: str, decided_on: dt.date) -> int:
    """Kayakalp years run April to March (the year they start); the others by year."""
    if programme == d.KAYAKALP:
        return decided_on.year if decided_on.month >= 4 else decided_on.year - 1
    return decided_on.year


def _percent(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(_("%(what)s: %(value)s is not a number.")
                          % {"what": what, "value": value}) from None
    if not 0 <= number <= 100:
        raise DomainError(_("%(what)s: a score is a percentage between 0 and 100.")
                          % {"what": what})
    return number


def _checked_scores(rules: Mapping[str, Any], programme: str, facility_type: str,
                    department_scores: Mapping[str, Any], area_scores: Mapping[str, Any]
                    ) -> tuple[dict[str, float], dict[str, float]]:
    if programme == d.KAYAKALP:
        allowed_areas = d.kayakalp_areas(rules, facility_type)
        for area in area_scores:
            if area not in allowed_areas:
                raise DomainError(_("Area %(area)s is not assessed in a %(type)s under these "
                                    "Kayakalp rules (areas %(areas)s).") % {
                    "area": area, "type": facility_type, "areas": allowed_areas})
        if department_scores:
            raise DomainError(_("Kayakalp is scored by area, not by department."))
        allowed_departments: list[str] = []
    elif programme == d.LAQSHYA:
        allowed_departments = list(rules["departments"])
    else:
        allowed_departments = d.musqan_departments(rules, facility_type)
    if programme != d.KAYAKALP:
        if area_scores:
            raise DomainError(_("This programme is scored by department, not by area."))
        for name in department_scores:
            if name not in allowed_departments:
                raise DomainError(_("%(department)s is not a department of this programme "
                                    "for a %(type)s.") % {"department": name,
                                                          "type": facility_type})
    return ({k: _percent(v, k) for k, v in department_scores.items() if v is not None},
            {k: _percent(v, _("area %(area)s") % {"area": k})
             for k, v in area_scores.items() if v is not None})


def _reasons(reasons) -> list[dict[str, Any]]:
    return [{"code": r.code, **dict(r.figures)} for r in reasons]


@transaction.atomic
def programme_record_save(*, facility: Facility, programme: str, stage: str,
                          decided_on: dt.date, cycle: int | None = None,
                          score: float | None = None,
                          department_scores: Mapping[str, Any] | None = None,
                          area_scores: Mapping[str, Any] | None = None,
                          assessment: Assessment | None = None, notes: str = "",
                          user=None, client_id: uuid.UUID | None = None) -> ProgrammeRecord:
    """Record (or correct) one stage of a facility's programme year and decide it.

    The same `client_id` again returns the record it made and changes nothing. Raises
    DomainError, with a message for the user, for a stage the rules do not have, a score
    outside 0-100, or a department or area the programme does not assess there.
    """
    if client_id is not None:
        done = ProgrammeRecord.objects.filter(client_id=client_id).first()
        if done is not None:
            return done
    if programme not in d.PROGRAMMES:
        raise DomainError(_("Unknown programme."))
    rule_set = rule_set_in_force(programme, decided_on)
    rules = rule_set.definition
    if stage not in rules["stages"]:
        raise DomainError(_("%(stage)s is not a stage of this programme.") % {"stage": stage})
    if assessment is not None and assessment.facility_id != facility.pk:
        raise DomainError(_("The assessment belongs to another facility."))
    departments, areas = _checked_scores(rules, programme, facility.facility_type,
                                         department_scores or {}, area_scores or {})
    overall = None if score is None else _percent(score, _("score"))
    if programme == d.LAQSHYA and overall is None and departments:
        overall = min(departments.values())
    cycle = cycle or default_cycle(programme, decided_on)
    if not 2000 <= cycle <= 2100:
        raise DomainError(_("The year must be between 2000 and 2100."))
    if programme == d.KAYAKALP:
        # The cohort's lock, taken before anything of the cohort is read.
        State.objects.select_for_update().filter(pk=facility.district.state_id).first()
    key = {"facility": facility, "programme": programme, "cycle": cycle, "stage": stage}
    values = {"decided_on": decided_on, "score": overall, "department_scores": departments,
              "area_scores": areas, "assessment": assessment, "rule_set": rule_set,
              "notes": notes.strip(), "recorded_by": user}
    record = ProgrammeRecord.objects.select_for_update().filter(**key).first()
    try:
        with transaction.atomic():
            if record is None:
                record = ProgrammeRecord.objects.create(**key, **values, client_id=client_id)
            else:
                for name, value in values.items():
                    setattr(record, name, value)
                record.save()
    except IntegrityError:
        raise DomainError(_("Someone recorded this stage at the same moment; reload the "
                            "page to see it.")) from None
    if programme == d.KAYAKALP:
        kayakalp_year_decide(state_id=facility.district.state_id, cycle=cycle)
        if ProgrammeRecord.objects.filter(programme=d.KAYAKALP, cycle=cycle + 1).exists():
            kayakalp_year_decide(state_id=facility.district.state_id, cycle=cycle + 1)
    else:
        _decide_certification(record, rules)
    record.refresh_from_db()
    return record


def _decide_certification(record: ProgrammeRecord, rules: Mapping[str, Any]) -> None:
    if record.programme == d.LAQSHYA:
        decision = d.laqshya_decide(
            rules, labour_room=record.department_scores.get(d.LABOUR_ROOM),
            maternity_ot=record.department_scores.get(d.MATERNITY_OT),
            decided_on=record.decided_on)
        record.result, record.badge = decision.result, decision.badge
        record.due_on, record.reasons = decision.maternity_ot_due, _reasons(decision.reasons)
    else:
        musqan = d.musqan_decide(rules, facility_type=record.facility.facility_type,
                                 overall=record.score, departments=record.department_scores)
        record.result, record.badge, record.due_on = musqan.result, "", None
        record.reasons = _reasons(musqan.reasons)
    record.rank = None
    record.save(update_fields=["result", "badge", "due_on", "reasons", "rank", "updated_at"])


def kayakalp_year_decide(*, state_id: int, cycle: int) -> int:
    """Decide every Kayakalp record of a state's year: each stage as far as it goes, the
    external stage ranked within its cohort. Returns how many records were decided."""
    records = list(ProgrammeRecord.objects
                   .filter(programme=d.KAYAKALP, cycle=cycle,
                           facility__district__state_id=state_id)
                   .select_related("facility__district", "rule_set"))
    if not records:
        return 0
    winners = dict(ProgrammeRecord.objects.filter(
        programme=d.KAYAKALP, cycle=cycle - 1, stage=Stage.EXTERNAL, result=d.AWARD,
        facility__district__state_id=state_id).values_list("facility_id", "score"))
    by_facility: dict[int, dict[str, ProgrammeRecord]] = {}
    for r in records:
        by_facility.setdefault(r.facility_id, {})[r.stage] = r
    # One rule set for the year: the one in force for its external (else latest) stage.
    rules = max(records, key=lambda r: (r.stage == Stage.EXTERNAL, r.decided_on)
                ).rule_set.definition
    full: list[d.KayakalpEntry] = []
    for facility_id, stages in by_facility.items():
        facility = next(iter(stages.values())).facility
        scores = {s: (stages[s].score if s in stages else None)
                  for s in ("internal", "peer", "external")}
        cohort = d.award_cohort(rules, facility.facility_type, state=state_id,
                                district=facility.district_id)
        full.append(d.KayakalpEntry(facility_id, facility.facility_type, cohort,
                                    scores["internal"], scores["peer"], scores["external"],
                                    winners.get(facility_id)))
    final = d.kayakalp_decide(rules, full)
    changed = []
    for entry in full:
        stages = by_facility[entry.key]
        for stage, record in stages.items():
            if stage == Stage.EXTERNAL:
                decision = final[entry.key]
            else:  # the decision as it stood at that stage
                upto = {"internal": entry.internal,
                        "peer": entry.peer if stage == Stage.PEER else None}
                decision = d.kayakalp_decide(rules, [d.KayakalpEntry(
                    entry.key, entry.facility_type, entry.cohort, upto["internal"],
                    upto["peer"], None, entry.last_award_score)])[entry.key]
            record.result, record.rank = decision.result, decision.rank
            record.reasons, record.badge, record.due_on = _reasons(decision.reasons), "", None
            changed.append(record)
    ProgrammeRecord.objects.bulk_update(changed, ["result", "rank", "reasons", "badge",
                                                  "due_on"])
    return len(changed)
