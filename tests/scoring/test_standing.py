"""The pure rules of what counts and how sure a verdict is (scoring.standing)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from srishti.scoring.standing import (
    Candidate,
    Completeness,
    CriterionStatus,
    criterion_status,
    standings_of,
)

STATUSES = st.sampled_from(["draft", "in_progress", "submitted"])
KINDS = st.sampled_from(["baseline", "internal", "state"])
CANDIDATES = st.lists(st.builds(Candidate, st.integers(1, 10_000), KINDS,
                                st.dates(dt.date(2020, 1, 1), dt.date(2024, 1, 1)), STATUSES),
                      unique_by=lambda c: c.assessment_id, max_size=20)


@given(CANDIDATES)
def test_only_submitted_assessments_ever_count(candidates):
    found = standings_of(candidates)
    counted = [c for c in candidates if c.status == "submitted"]
    assert all(c.status == "submitted" for c in found.by_kind.values())
    assert set(found.by_kind) == {c.kind for c in counted}
    if counted:
        newest = max(counted, key=lambda c: (c.start_date, c.assessment_id))
        assert found.current == newest
    else:
        assert found.current is None


def test_a_criterion_without_a_figure_is_not_yet_judged_never_met():
    assert criterion_status({"value": None, "passed": True}) == CriterionStatus.NOT_JUDGED
    assert criterion_status({"value": None, "passed": False}) == CriterionStatus.NOT_JUDGED
    assert criterion_status({"value": 70.0, "passed": True}) == CriterionStatus.MET
    assert criterion_status({"value": 69.9, "passed": False}) == CriterionStatus.NOT_MET


def test_a_verdict_is_provisional_while_any_checkpoint_is_unanswered():
    assert Completeness(42, 533).provisional and Completeness(42, 533).unanswered == 491
    assert not Completeness(533, 533).provisional
    assert Completeness(0, 0).provisional  # nothing to answer is nothing judged
