"""The words for the reason codes and next steps of programmes.decisions, in the
reader's language: decisions carry codes and figures, never sentences."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEPARTMENT_LABELS = {
    "labour_room": gettext_lazy("Labour room"),
    "maternity_ot": gettext_lazy("Maternity operation theatre"),
}


def _pct(value) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def department_label(name: str) -> str:
    return str(DEPARTMENT_LABELS.get(name, name))


def reason_text(reason: dict) -> str:
    """One sentence for a stored reason ({"code": ..., figures...})."""
    code = reason.get("code", "")
    f = {k: (_pct(v) if isinstance(v, int | float) and k not in ("rank", "places") else v)
         for k, v in reason.items()}
    if "department" in f:
        f["department"] = department_label(str(f["department"]))
    texts = {
        "peer_below_threshold": _("Peer assessment %(score)s%% is below %(threshold)s%%: the "
                                  "facility does not go on to external assessment."),
        "peer_qualifies": _("Peer assessment %(score)s%% reaches %(threshold)s%%: on to "
                            "external assessment."),
        "external_without_qualifying_peer": _("The external score %(score)s%% does not count "
                                              "without a qualifying peer assessment."),
        "award_place": _("Place %(rank)s in its group (%(places)s award places) with "
                         "%(score)s%%."),
        "outranked": _("Place %(rank)s in its group: only %(places)s award places."),
        "below_award_threshold": _("%(score)s%% is below the %(threshold)s%% an award needs."),
        "past_winner_needs_improvement": _(
            "An award winner last year: %(score)s%% is short of the %(needed)s%% needed to "
            "win again (last year %(last)s%% plus %(improvement)s points)."),
        "commendation": _("Commendation: %(score)s%% is above %(threshold)s%%."),
        "below_commendation": _("%(score)s%% is not above %(threshold)s%%: no commendation."),
        "labour_room_not_assessed": _("The labour room has no score yet."),
        "maternity_ot_not_assessed": _("The maternity OT has no score yet."),
        "department_reaches_threshold": _("%(department)s: %(score)s%% reaches "
                                          "%(threshold)s%%."),
        "department_below_threshold": _("%(department)s: %(score)s%% is below "
                                        "%(threshold)s%%."),
        "labour_room_required": _("Certification needs the labour room to qualify."),
        "maternity_ot_due": _("The maternity OT must qualify by %(due)s."),
        "badge": _("Badge from the lower department score, %(score)s%%: %(badge)s."),
        "department_not_assessed": _("%(department)s has no score yet."),
        "overall_below_threshold": _("Overall %(score)s%% is below %(threshold)s%%."),
        "all_reach_threshold": _("Overall %(score)s%% and every department reach "
                                 "%(threshold)s%%."),
    }
    text = texts.get(code)
    if text is None:
        return code
    if code == "badge":
        from .models import Badge

        f["badge"] = str(dict(Badge.choices).get(f.get("badge", ""), _("none")))
    if code == "maternity_ot_due":
        import datetime as dt

        f["due"] = date_format(dt.date.fromisoformat(str(f["due"])))
    try:
        return text % f
    except (KeyError, TypeError, ValueError):
        return code


def step_text(step) -> str:
    if step is None:
        return ""
    texts = {
        "peer_due": _("Peer assessment due"),
        "external_due": _("External assessment due"),
        "maternity_ot_due": _("Maternity OT to qualify"),
        "national_next": _("National assessment next"),
        "reassess": _("Reassessment needed"),
        "next_year": _("Next year's cycle"),
        "none": _("Nothing due"),
    }
    return str(texts.get(step.code, step.code))
