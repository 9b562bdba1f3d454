"""Programme decisions as pure functions over data: Kayakalp, LaQshya, MusQan.

No Django here (like srishti.scoring): the rules are dicts (versioned rule sets, stored
as data with their source), the facts are dataclasses, and the answers carry reason
codes with their figures, which the pages put into words in the reader's language.

The rules, as the primer states them (confidence in brackets there):
- Kayakalp: internal -> peer -> external assessment; >= 70% in peer assessment goes on
  to external; awards (places in a cohort) and commendations are decided from the
  external score; last year's award winners must improve by 5 points to win again;
  area H (eco-friendly) is assessed in DH/SDH/CHC from the 2021 rules on.
- LaQshya: certified at >= 70% (labour room and maternity OT); badges silver >= 70,
  gold > 80, platinum > 90; provisional when only the labour room qualifies, with the
  maternity OT due within a year.
- MusQan: its departments (by facility type) each at the threshold, and the overall.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

KAYAKALP = "kayakalp"
LAQSHYA = "laqshya"
MUSQAN = "musqan"
PROGRAMMES = (KAYAKALP, LAQSHYA, MUSQAN)

# Results.
AWARD = "award"
COMMENDATION = "commendation"
NOT_AWARDED = "not_awarded"
STOPPED_AT_PEER = "stopped_at_peer"
QUALIFIED = "qualified"
PENDING = "pending"
CERTIFIED = "certified"
PROVISIONAL = "provisional"
NOT_CERTIFIED = "not_certified"

LABOUR_ROOM = "labour_room"
MATERNITY_OT = "maternity_ot"


@dataclass(frozen=True)
class Reason:
    """Why a decision came out as it did: a code and the figures behind it."""

    code: str
    figures: Mapping[str, Any] = field(default_factory=dict)


def reached(score: float, threshold: float, *, strictly: bool = False) -> bool:
    """Whether a percentage reaches a threshold, with a slack of 1e-9 for figures that
    are exactly the threshold on paper."""
    if strictly:
        return score > threshold + 1e-9
    return score >= threshold - 1e-9


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_set_for(rule_sets: Iterable[Mapping[str, Any]], programme: str,
                 on: dt.date) -> Mapping[str, Any] | None:
    """The programme's rule set in force on a day: the newest whose `valid_from` is not
    after it."""
    candidates = [r for r in rule_sets if r["programme"] == programme
                  and dt.date.fromisoformat(str(r["valid_from"])) <= on]
    return max(candidates, key=lambda r: str(r["valid_from"]), default=None)


# ---------------------------------------------------------------------------------------
# Kayakalp.

@dataclass(frozen=True)
class KayakalpEntry:
    """One facility's Kayakalp year: its scores at each stage (None: not assessed yet)."""

    key: Hashable
    facility_type: str
    cohort: Hashable  # the facilities it competes with (a state or a district, a type)
    internal: float | None = None
    peer: float | None = None
    external: float | None = None
    # Last year's external score if the facility won an award then; None otherwise.
    last_award_score: float | None = None


@dataclass(frozen=True)
class KayakalpDecision:
    stage: str  # the furthest stage assessed: "internal", "peer", "external" or ""
    result: str  # award, commendation, not_awarded, stopped_at_peer, qualified, pending
    rank: int | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def goes_to_external(self) -> bool:
        """Whether the peer assessment qualified the facility for external assessment."""
        return self.result in (QUALIFIED, AWARD, COMMENDATION, NOT_AWARDED)


def kayakalp_areas(rules: Mapping[str, Any], facility_type: str) -> str:
    """The areas of concern a facility type is assessed on (A-G, plus H eco-friendly for
    the types the rules name)."""
    areas: Mapping[str, str] = rules["areas"]
    return areas.get(facility_type, areas["default"])


def award_cohort(rules: Mapping[str, Any], facility_type: str, *, state: Hashable,
                 district: Hashable) -> tuple[Hashable, str]:
    """Who a facility competes with for an award: (the state or the district, its type)."""
    scope = rules["award_scope"].get(facility_type, "state")
    return (district if scope == "district" else state, facility_type)


def _kayakalp_one(rules: Mapping[str, Any], entry: KayakalpEntry) -> KayakalpDecision:
    """The decision before ranking: stopped at peer, waiting, or eligible (or not) for an
    award with the commendation it earns anyway."""
    peer_threshold = float(rules["peer_threshold"])
    if entry.external is None:
        if entry.peer is None:
            return KayakalpDecision("internal" if entry.internal is not None else "", PENDING)
        if not reached(entry.peer, peer_threshold):
            return KayakalpDecision("peer", STOPPED_AT_PEER, reasons=(
                Reason("peer_below_threshold", {"score": entry.peer,
                                                "threshold": peer_threshold}),))
        return KayakalpDecision("peer", QUALIFIED, reasons=(
            Reason("peer_qualifies", {"score": entry.peer, "threshold": peer_threshold}),))
    if entry.peer is not None and not reached(entry.peer, peer_threshold):
        # An external score without a qualifying peer assessment counts for nothing.
        return KayakalpDecision("external", STOPPED_AT_PEER, reasons=(
            Reason("peer_below_threshold", {"score": entry.peer,
                                            "threshold": peer_threshold}),
            Reason("external_without_qualifying_peer", {"score": entry.external})))
    return KayakalpDecision("external", NOT_AWARDED)


def _award_eligible(rules: Mapping[str, Any], entry: KayakalpEntry) -> Reason | None:
    """None if the facility may win an award on its external score; else why not."""
    assert entry.external is not None
    minimum = float(rules["award_threshold"])
    if not reached(entry.external, minimum):
        return Reason("below_award_threshold", {"score": entry.external, "threshold": minimum})
    if entry.last_award_score is not None:
        needed = entry.last_award_score + float(rules["past_winner_improvement"])
        if not reached(entry.external, needed):
            return Reason("past_winner_needs_improvement", {
                "score": entry.external, "last": entry.last_award_score,
                "improvement": float(rules["past_winner_improvement"]), "needed": needed})
    return None


def kayakalp_decide(rules: Mapping[str, Any], entries: Sequence[KayakalpEntry]
                    ) -> dict[Hashable, KayakalpDecision]:
    """Decide a whole Kayakalp year at once, since awards are places in a cohort.

    Per cohort, the eligible facilities with an external score are ranked by it (ties
    share a rank and a place); the first `award_places` places win an award. Everyone
    else with an external score above the commendation threshold is commended: a past
    winner without the required improvement is commended, not awarded.
    """
    decisions: dict[Hashable, KayakalpDecision] = {}
    by_cohort: dict[Hashable, list[KayakalpEntry]] = {}
    for entry in entries:
        first = _kayakalp_one(rules, entry)
        decisions[entry.key] = first
        if first.result == NOT_AWARDED:
            by_cohort.setdefault(entry.cohort, []).append(entry)
    commend_at = float(rules["commendation_threshold"])
    commend_strictly = bool(rules.get("commendation_strictly_above", True))
    for cohort_entries in by_cohort.values():
        places = int(rules["award_places"].get(cohort_entries[0].facility_type,
                                               rules["award_places"].get("default", 1)))
        eligible = sorted((e for e in cohort_entries if _award_eligible(rules, e) is None),
                          key=lambda e: -(e.external or 0.0))
        ranks: dict[Hashable, int] = {}
        previous, rank = None, 0
        for position, entry in enumerate(eligible, start=1):
            if entry.external != previous:
                rank, previous = position, entry.external
            ranks[entry.key] = rank
        for entry in cohort_entries:
            assert entry.external is not None
            reasons: list[Reason] = []
            if entry.peer is not None:
                reasons.append(Reason("peer_qualifies", {
                    "score": entry.peer, "threshold": float(rules["peer_threshold"])}))
            rank_of = ranks.get(entry.key)
            if rank_of is not None and rank_of <= places:
                reasons.append(Reason("award_place", {"rank": rank_of, "places": places,
                                                      "score": entry.external}))
                decisions[entry.key] = KayakalpDecision("external", AWARD, rank_of,
                                                        tuple(reasons))
                continue
            not_eligible = _award_eligible(rules, entry)
            if not_eligible is not None:
                reasons.append(not_eligible)
            elif rank_of is not None:
                reasons.append(Reason("outranked", {"rank": rank_of, "places": places,
                                                    "score": entry.external}))
            if reached(entry.external, commend_at, strictly=commend_strictly):
                reasons.append(Reason("commendation", {"score": entry.external,
                                                       "threshold": commend_at}))
                decisions[entry.key] = KayakalpDecision("external", COMMENDATION, rank_of,
                                                        tuple(reasons))
            else:
                reasons.append(Reason("below_commendation", {"score": entry.external,
                                                             "threshold": commend_at}))
                decisions[entry.key] = KayakalpDecision("external", NOT_AWARDED, rank_of,
                                                        tuple(reasons))
    return decisions


# ---------------------------------------------------------------------------------------
# LaQshya.

@dataclass(frozen=True)
class LaqshyaDecision:
    result: str  # certified, provisional, not_certified, pending
    badge: str = ""  # silver, gold, platinum (certified only)
    maternity_ot_due: dt.date | None = None  # provisional: by when the OT must qualify
    reasons: tuple[Reason, ...] = ()


def badge_for(rules: Mapping[str, Any], score: float) -> str:
    """The highest badge a score earns ("" below the lowest)."""
    earned = ""
    for badge in rules["badges"]:
        if reached(score, float(badge["threshold"]), strictly=bool(badge["strictly_above"])):
            earned = str(badge["name"])
    return earned


def laqshya_decide(rules: Mapping[str, Any], *, labour_room: float | None,
                   maternity_ot: float | None, decided_on: dt.date) -> LaqshyaDecision:
    """Certified when both the labour room and the maternity OT reach the threshold, with
    the badge of the lower of the two; provisional when only the labour room does, the
    maternity OT then due within `provisional_months`."""
    threshold = float(rules["threshold"])
    if labour_room is None:
        return LaqshyaDecision(PENDING, reasons=(Reason("labour_room_not_assessed"),))
    if not reached(labour_room, threshold):
        reasons = [Reason("department_below_threshold", {
            "department": LABOUR_ROOM, "score": labour_room, "threshold": threshold})]
        if maternity_ot is not None and reached(maternity_ot, threshold):
            reasons.append(Reason("labour_room_required"))
        return LaqshyaDecision(NOT_CERTIFIED, reasons=tuple(reasons))
    lr_ok = Reason("department_reaches_threshold", {
        "department": LABOUR_ROOM, "score": labour_room, "threshold": threshold})
    if maternity_ot is None or not reached(maternity_ot, threshold):
        due = add_months(decided_on, int(rules["provisional_months"]))
        why = (Reason("maternity_ot_not_assessed") if maternity_ot is None else
               Reason("department_below_threshold", {"department": MATERNITY_OT,
                                                     "score": maternity_ot,
                                                     "threshold": threshold}))
        return LaqshyaDecision(PROVISIONAL, maternity_ot_due=due, reasons=(
            lr_ok, why, Reason("maternity_ot_due", {"due": due.isoformat()})))
    lowest = min(labour_room, maternity_ot)
    badge = badge_for(rules, lowest)
    return LaqshyaDecision(CERTIFIED, badge=badge, reasons=(
        lr_ok, Reason("department_reaches_threshold", {
            "department": MATERNITY_OT, "score": maternity_ot, "threshold": threshold}),
        Reason("badge", {"badge": badge, "score": lowest})))


# ---------------------------------------------------------------------------------------
# MusQan.

@dataclass(frozen=True)
class MusqanDecision:
    result: str  # certified, not_certified, pending
    reasons: tuple[Reason, ...] = ()


def musqan_departments(rules: Mapping[str, Any], facility_type: str) -> list[str]:
    departments: Mapping[str, list[str]] = rules["departments"]
    return list(departments.get(facility_type, departments["default"]))


def musqan_decide(rules: Mapping[str, Any], *, facility_type: str, overall: float | None,
                  departments: Mapping[str, float]) -> MusqanDecision:
    """Certified when the overall score and every MusQan department of the facility type
    reach their thresholds; pending while a department has no score."""
    expected = musqan_departments(rules, facility_type)
    missing = [d for d in expected if d not in departments]
    if overall is None or missing:
        return MusqanDecision(PENDING, reasons=tuple(
            Reason("department_not_assessed", {"department": d}) for d in missing))
    reasons: list[Reason] = []
    failed = False
    overall_threshold = float(rules["overall_threshold"])
    if not reached(overall, overall_threshold):
        failed = True
        reasons.append(Reason("overall_below_threshold", {"score": overall,
                                                          "threshold": overall_threshold}))
    department_threshold = float(rules["department_threshold"])
    for name in expected:
        score = departments[name]
        if not reached(score, department_threshold):
            failed = True
            reasons.append(Reason("department_below_threshold", {
                "department": name, "score": score, "threshold": department_threshold}))
    if failed:
        return MusqanDecision(NOT_CERTIFIED, tuple(reasons))
    return MusqanDecision(CERTIFIED, (Reason("all_reach_threshold", {
        "score": overall, "threshold": overall_threshold}),))
