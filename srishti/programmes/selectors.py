"""Reads for the programme pages, scoped through accounts.access: the state (or district)
view of a programme, and every programme's standing of one facility.

Each runs a fixed number of queries whatever the number of facilities and records.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from srishti.accounts import access
from srishti.geography.models import Facility

from . import decisions as d
from .models import STAGE_ORDER, Programme, ProgrammeRecord, Result, Stage

# How far ahead a due date starts to show as "due soon".
DUE_SOON_DAYS = 90


def stage_rank(stage: str) -> int:
    return STAGE_ORDER.index(Stage(stage))


@dataclass
class NextStep:
    """What a facility has to do next in a programme, and by when if the rules say."""

    code: str  # peer_due, external_due, maternity_ot_due, national_next, reassess, none
    due: dt.date | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    def due_soon(self, today: dt.date) -> bool:
        return self.due is not None and today <= self.due <= today + dt.timedelta(
            days=DUE_SOON_DAYS)


def next_step(record: ProgrammeRecord) -> NextStep:
    """The next step after a facility's furthest record of a year."""
    result, stage = record.result, record.stage
    if record.programme == d.KAYAKALP:
        if result == d.PENDING:
            return NextStep("peer_due")
        if result == d.QUALIFIED:
            return NextStep("external_due")
        return NextStep("next_year")
    if result == d.PROVISIONAL:
        return NextStep("maternity_ot_due", record.due_on)
    if result == d.CERTIFIED and stage != Stage.NATIONAL:
        return NextStep("national_next")
    if result in (d.NOT_CERTIFIED, d.PENDING):
        return NextStep("reassess")
    return NextStep("none")


@dataclass
class Standing:
    facility: Facility
    record: ProgrammeRecord  # the furthest stage of the year shown
    step: NextStep


@dataclass
class YearAwards:
    cycle: int
    awards: int = 0
    commendations: int = 0
    certified: int = 0
    provisional: int = 0
    winners: list[ProgrammeRecord] = field(default_factory=list)


@dataclass
class ProgrammeOverview:
    programme: str
    label: str
    cycle: int
    cycles: list[int]
    standings: list[Standing]
    by_stage: list[tuple[str, str, list[tuple[str, str, int]]]]  # stage, label, results
    years: list[YearAwards]
    due: list[Standing]
    facilities_in_scope: int


def _furthest(records) -> dict[int, ProgrammeRecord]:
    best: dict[int, ProgrammeRecord] = {}
    for r in records:
        current = best.get(r.facility_id)
        if current is None or (stage_rank(r.stage), r.decided_on) > (
                stage_rank(current.stage), current.decided_on):
            best[r.facility_id] = r
    return best


def programme_overview(*, user, programme: str, cycle: int | None = None,
                       today: dt.date | None = None) -> ProgrammeOverview:
    """The programme across the facilities the user sees: the chosen year's stages and
    results, awards and certifications by year, and what is due next."""
    if programme not in d.PROGRAMMES:
        raise Http404
    today = today or timezone.localdate()
    facilities = access.visible_facilities(user)
    records = list(ProgrammeRecord.objects.filter(programme=programme, facility__in=facilities)
                   .select_related("facility__district").order_by("cycle", "decided_on"))
    cycles = sorted({r.cycle for r in records}, reverse=True)
    if cycle is None or cycle not in cycles:
        cycle = cycles[0] if cycles else today.year
    this_year = _furthest(r for r in records if r.cycle == cycle)
    standings = sorted((Standing(r.facility, r, next_step(r)) for r in this_year.values()),
                       key=lambda s: (s.facility.district.name, s.facility.name))
    counts: dict[str, Counter] = defaultdict(Counter)
    for s in standings:
        counts[s.record.stage][s.record.result] += 1
    results = dict(Result.choices)
    by_stage = [(stage, label, [(code, results.get(code, code), n)
                                for code, n in sorted(counts[stage].items())])
                for stage, label in Stage.choices if stage in counts]
    years = []
    for year in cycles:
        summary = YearAwards(year)
        for r in _furthest(r for r in records if r.cycle == year).values():
            if r.result == d.AWARD:
                summary.awards += 1
                summary.winners.append(r)
            summary.commendations += r.result == d.COMMENDATION
            summary.certified += r.result == d.CERTIFIED
            summary.provisional += r.result == d.PROVISIONAL
        summary.winners.sort(key=lambda r: (r.facility.facility_type, r.rank or 0))
        years.append(summary)
    due = [s for s in standings if s.step.code in ("peer_due", "external_due",
                                                   "maternity_ot_due", "national_next")]
    due.sort(key=lambda s: (s.step.due is None, s.step.due or today, s.facility.name))
    return ProgrammeOverview(programme, str(Programme(programme).label), cycle, cycles,
                             standings, by_stage, years, due, facilities.count())


@dataclass
class FacilityProgramme:
    programme: str
    label: str
    current: ProgrammeRecord | None
    step: NextStep | None
    records: list[ProgrammeRecord]


@dataclass
class FacilityStandings:
    facility: Facility
    nqas: object | None  # certification.selectors.Standing of the NQAS tool, or None
    programmes: list[FacilityProgramme]
    can_manage: bool


def facility_standings(*, user, facility: Facility) -> FacilityStandings:
    """The facility's standing in NQAS and in every programme, with each one's records.
    The caller has checked that the user sees the facility."""
    from srishti.certification.models import CertificationRecord
    from srishti.certification.selectors import standings

    nqas_records = (CertificationRecord.objects.filter(facility=facility, tool__code="NQAS")
                    .select_related("facility", "tool").order_by("decided_on", "id"))
    nqas = next(iter(standings(nqas_records).values()), None)
    records = list(ProgrammeRecord.objects.filter(facility=facility)
                   .select_related("rule_set").order_by("-cycle", "-decided_on"))
    programmes = []
    for code, label in Programme.choices:
        own = [r for r in records if r.programme == code]
        current = None
        if own:
            latest = max(r.cycle for r in own)
            current = _furthest(r for r in own if r.cycle == latest).get(facility.pk)
        programmes.append(FacilityProgramme(code, str(label), current,
                                            next_step(current) if current else None, own))
    return FacilityStandings(facility, nqas, programmes,
                             access.can_manage_programmes(user, facility))


def visible_facility(*, user, pk: int) -> Facility:
    if not 0 < pk < 2**63:
        raise Http404
    return access.get_visible_or_404(
        access.visible_facilities(user).select_related("district"), pk=pk)


def record_for_change(*, user, pk: int) -> ProgrammeRecord:
    """A record the user may correct (404 otherwise)."""
    if not 0 < pk < 2**63:
        raise Http404
    record = (ProgrammeRecord.objects.select_related("facility__district", "rule_set")
              .filter(pk=pk, facility__in=access.visible_facilities(user)).first())
    if record is None or not access.can_manage_programmes(user, record.facility):
        raise Http404
    return record
