"""AAM-SC service packages: which checkpoints apply to a sub-centre.

Each checkpoint of the AAM-SC (HWC-SC) checklist carries a service tag: "All" for what
every sub-centre does, a package for what only sub-centres offering it do ("ENT", "Eye",
"Oral", "Elderly", "Palliative", "Emergency", "Mental"), "SC Type B" for what only type-B
sub-centres do, and tags of mandatory packages ("NCD") that every sub-centre offers. A
facility's service profile names the optional packages it offers and its type (A or B).
A checkpoint it does not have to meet is not applicable, with a reason the capture page
shows. Pure Python, no Django.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "ALL",
    "OPTIONAL_SERVICES",
    "TYPE_B",
    "NotApplicable",
    "ServiceProfile",
    "normalise_tag",
    "not_applicable_reason",
]

ALL = "All"
TYPE_B = "SC Type B"

# The optional packages as a profile names them; a checkpoint tag names one of these, or
# several joined with "&" ("Elderly & pallative": applies when either is offered).
OPTIONAL_SERVICES: tuple[str, ...] = (
    "Eye", "ENT", "Oral", "Elderly", "Palliative", "Emergency", "Mental",
)

# Spellings seen in the official workbook, lower-cased, to the profile's names.
_SPELLINGS = {
    "all": ALL,
    "pallative": "Palliative",
    "palliative": "Palliative",
    "elderly": "Elderly",
    "eye": "Eye",
    "ent": "ENT",
    "oral": "Oral",
    "emergency": "Emergency",
    "mental": "Mental",
    "mental health": "Mental",
    "ncd": "NCD",
    "sc type b": TYPE_B,
    "type b": TYPE_B,
}
_SEPARATORS = re.compile(r"\s*(?:&|,|/|\band\b)\s*", re.IGNORECASE)


def normalise_tag(raw: str | None) -> str:
    """A checkpoint's service tag as stored: "" and "All" become "All", known spellings
    their canonical name ("Pallative" -> "Palliative", "Elderly & pallative" ->
    "Elderly & Palliative"), anything else is kept as written (stripped)."""
    text = " ".join((raw or "").split())
    if not text:
        return ALL
    known = _SPELLINGS.get(text.lower())
    if known:
        return known
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) > 1 and all(p.lower() in _SPELLINGS for p in parts):
        return " & ".join(_SPELLINGS[p.lower()] for p in parts)
    return text


class NotApplicable(StrEnum):
    """Why a checkpoint does not apply to a facility (shown on the capture page)."""

    SERVICE_NOT_OFFERED = "service_not_offered"
    TYPE_B_ONLY = "type_b_only"


class ServiceProfile(NamedTuple):
    """The optional packages a sub-centre offers and its type ("A" or "B")."""

    offered: frozenset[str] = frozenset()
    subcentre_type: str = "A"


def not_applicable_reason(tag: str, profile: ServiceProfile) -> NotApplicable | None:
    """Why a checkpoint with service `tag` does not apply under `profile`, or None when
    it applies. Tags of no optional package ("All", "NCD", unknown ones) always apply: an
    unknown tag is never a reason to drop a checkpoint from the score. A type-B checkpoint
    applies to type-B sub-centres only."""
    if tag == TYPE_B:
        return None if profile.subcentre_type == "B" else NotApplicable.TYPE_B_ONLY
    services = [part for part in tag.split(" & ") if part in OPTIONAL_SERVICES]
    if not services or len(services) != len(tag.split(" & ")):
        return None
    if any(service in profile.offered for service in services):
        return None
    return NotApplicable.SERVICE_NOT_OFFERED
