"""Properties of the engine that hold for any assessment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from srishti.scoring.engine import score
from srishti.scoring.types import CheckpointScore, OverallRule, ScoreCard, Tally

DEPARTMENTS = ("OPD", "IPD", "Labour Room", "Mortuary")
AREAS = "ABCDEFGH"


@st.composite
def checkpoints(draw: st.DrawFn, *, values: st.SearchStrategy[float | None] | None = None):
    area = draw(st.sampled_from(AREAS))
    # Mixed scales on purpose: the engine pools by each checkpoint's own `full`.
    full = draw(st.sampled_from([2.0, 1.0]))
    if values is None:
        values = st.none() | (
            st.sampled_from([0.0, 1.0, 2.0]) if full == 2.0 else st.sampled_from([0.0, 0.5, 1.0])
        )
    return CheckpointScore(
        department=draw(st.sampled_from(DEPARTMENTS)),
        area=area,
        standard=f"{area}{draw(st.integers(1, 12))}",
        value=draw(values),
        full=full,
    )


assessments = st.lists(checkpoints(), max_size=80)
rules = st.sampled_from(list(OverallRule))


def _totals(tally: Tally) -> tuple[float, float, int]:
    return tally.obtained, tally.maximum, tally.scored


def _sum(tallies) -> Tally:
    return sum(tallies, Tally())


def _every_tally(card: ScoreCard):
    yield card.facility
    yield from card.areas.values()
    yield from card.standards.values()
    for d in card.departments:
        yield d.tally
        yield from d.areas.values()
        yield from d.standards.values()


@given(assessments, st.randoms(use_true_random=False), rules)
def test_order_of_checkpoints_does_not_change_the_card(cps, rnd, rule):
    shuffled = cps.copy()
    rnd.shuffle(shuffled)

    first = score(cps, rule=rule, department_order=DEPARTMENTS)
    second = score(shuffled, rule=rule, department_order=DEPARTMENTS)

    assert first == second


@given(assessments, st.lists(checkpoints(values=st.none()), max_size=30), rules)
def test_adding_na_checkpoints_changes_no_score(cps, nas, rule):
    before = score(cps, rule=rule)
    after = score(cps + nas, rule=rule)

    assert after.overall == before.overall
    assert after.mean_of_departments == before.mean_of_departments
    assert _totals(after.facility) == _totals(before.facility)
    for code, tally in after.standards.items():
        if code in before.standards:
            assert _totals(tally) == _totals(before.standards[code])
        else:
            assert tally.score is None
    for letter, tally in after.areas.items():
        if letter in before.areas:
            assert _totals(tally) == _totals(before.areas[letter])
        else:
            assert tally.score is None
    old = {d.name: d.tally for d in before.departments}
    for department in after.departments:
        if department.name in old:
            assert _totals(department.tally) == _totals(old[department.name])
        else:
            assert department.tally.score is None


@given(assessments, rules)
def test_every_score_lies_between_0_and_100_or_is_none(cps, rule):
    card = score(cps, rule=rule)

    figures = [t.score for t in _every_tally(card)] + [card.overall, card.mean_of_departments]
    assert all(f is None or 0.0 <= f <= 100.0 for f in figures)


@given(assessments)
def test_pooled_totals_equal_the_sums_of_their_parts(cps):
    card = score(cps, rule=OverallRule.POOLED)

    assert _sum(d.tally for d in card.departments) == card.facility
    assert _sum(card.areas.values()) == card.facility
    assert _sum(card.standards.values()) == card.facility
    for d in card.departments:
        assert _sum(d.areas.values()) == d.tally
        assert _sum(d.standards.values()) == d.tally
    for letter, tally in card.areas.items():
        assert _sum(d.areas[letter] for d in card.departments if letter in d.areas) == tally
    for code, tally in card.standards.items():
        assert _sum(d.standards[code] for d in card.departments if code in d.standards) == tally


@given(assessments)
def test_facility_tally_matches_a_direct_count_of_the_checkpoints(cps):
    card = score(cps, rule=OverallRule.POOLED)

    scored = [c for c in cps if c.value is not None]
    assert card.facility == Tally(
        obtained=sum(c.value for c in scored),
        maximum=sum(c.full for c in scored),
        scored=len(scored),
        not_applicable=len(cps) - len(scored),
    )


@given(assessments, rules)
def test_mean_of_departments_lies_between_the_lowest_and_highest_department(cps, rule):
    card = score(cps, rule=rule)

    scores = [d.tally.score for d in card.departments if d.tally.score is not None]
    if scores:
        assert card.mean_of_departments is not None
        assert min(scores) <= card.mean_of_departments <= max(scores)
    else:
        assert card.mean_of_departments is None


@given(assessments, rules)
def test_overall_is_the_figure_the_rule_names(cps, rule):
    card = score(cps, rule=rule)

    expected = card.facility.score if rule is OverallRule.POOLED else card.mean_of_departments
    assert card.overall == expected
