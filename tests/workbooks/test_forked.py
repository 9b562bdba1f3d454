"""Forked: items worked through by forked children, results back in item order, and never
different from a plain loop whatever the children do."""

from __future__ import annotations

import os
import time

import pytest

from srishti.workbooks.forked import Forked, _deal, can_fork, usable_cpus

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork")

CHILDREN = [0, 1, 2, 3]
PARENT_WEIGHTS = [0, 0.5, 1]


def square(n: int) -> tuple[int, int, str]:
    return (n, n * n, str(n))


def forked(items, work, *, children, parent_weight=1.0):
    return Forked(items, work, children=children, parent_weight=parent_weight,
                  encode=list, decode=tuple)


def collect(items, work, **kwargs) -> list:
    with forked(items, work, **kwargs) as results:
        return list(results)


def assert_no_child_left(pids) -> None:
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no longer this process's child
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.parametrize("parent_weight", PARENT_WEIGHTS)
@pytest.mark.parametrize("children", CHILDREN)
def test_results_come_back_in_item_order_and_equal_a_plain_loop(children, parent_weight):
    items = list(range(23))

    results = collect(items, square, children=children, parent_weight=parent_weight)

    assert results == [square(n) for n in items]


@pytest.mark.parametrize("children", CHILDREN)
def test_no_items_give_no_results(children):
    assert collect([], square, children=children) == []


@pytest.mark.parametrize("parent_weight", PARENT_WEIGHTS)
@pytest.mark.parametrize("children", CHILDREN)
def test_the_work_really_runs_in_the_children(children, parent_weight):
    parent = os.getpid()

    pids = collect(list(range(12)), lambda _: (os.getpid(),), children=children,
                   parent_weight=parent_weight)

    pids = [pid for (pid,) in pids]
    assert len(pids) == 12
    if children == 0:
        assert set(pids) == {parent}  # nothing to share: the parent does it all
    else:
        assert len(set(pids) - {parent}) == children
        assert (pids[0] == parent) == (parent_weight > 0)
        assert (parent in pids) == (parent_weight > 0)


def test_usable_cpus_is_at_least_one():
    assert usable_cpus() >= 1


@pytest.mark.parametrize(
    ("weights", "counts"),
    [
        ([0.5, 1], [6, 12]),
        ([1, 1], [9, 9]),
        ([0, 1], [0, 18]),
        ([1, 1, 1], [6, 6, 6]),
        ([0, 1, 1], [0, 9, 9]),
        ([1], [18]),
    ],
)
def test_deal_gives_each_lane_items_in_proportion_to_its_weight(weights, counts):
    owners = _deal(18, weights)

    assert len(owners) == 18
    assert [owners.count(lane) for lane in range(len(weights))] == counts


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 18, 41])
@pytest.mark.parametrize(
    "weights", [[0.5, 1], [0.5, 1, 1, 1], [1, 1, 1, 1], [0.25, 1, 1], [2, 1], [0, 1, 1, 1]]
)
def test_deal_keeps_every_lane_within_one_item_of_its_due_share(weights, count):
    owners = _deal(count, weights)

    total = sum(weights)
    for lane, weight in enumerate(weights):
        assert abs(owners.count(lane) - count * weight / total) < 1
    if 0 in owners:
        assert owners[0] == 0  # the parent starts at once on the first item


@pytest.mark.parametrize("weights", [[0.5, 1], [1, 1], [0.5, 1, 1, 1], [0.25, 1, 1], [2, 1, 1]])
def test_deal_gives_the_parent_the_first_item_once_its_share_reaches_one(weights):
    for count in range(1, 30):
        owners = _deal(count, weights)
        if count * weights[0] / sum(weights) >= 1:
            assert owners[0] == 0


def test_deal_spreads_a_lane_over_early_and_late_items():
    owners = _deal(18, [0.5, 1, 1, 1])

    for lane in range(4):
        assert lane in owners[:8] and lane in owners[10:]


@pytest.mark.parametrize("parent_weight", PARENT_WEIGHTS)
@pytest.mark.parametrize("children", [1, 2, 3])
def test_a_child_that_dies_loses_nothing_the_parent_does_its_items(children, parent_weight):
    parent = os.getpid()

    def work(n: int) -> tuple[int, int, str]:
        if n in (4, 5, 11) and os.getpid() != parent:
            os._exit(3)  # whichever child holds these items dies there, unannounced
        return square(n)

    items = list(range(20))
    assert collect(items, work, children=children, parent_weight=parent_weight) == [
        square(n) for n in items
    ]


@pytest.mark.parametrize("children", [1, 3])
def test_a_child_whose_results_cannot_be_sent_is_replaced_by_the_parent(children):
    parent = os.getpid()

    def work(n: int) -> object:
        # marshal cannot dump a plain object: the child fails at its first item.
        return (n, object()) if os.getpid() != parent else (n, n)

    with Forked(list(range(9)), work, children=children, parent_weight=0.5,
                encode=lambda r: r, decode=lambda r: r) as results:
        assert list(results) == [(n, n) for n in range(9)]


@pytest.mark.parametrize("children", [1, 2, 3])
def test_a_child_whose_results_cannot_be_decoded_is_replaced_by_the_parent(children):
    parent = os.getpid()

    def decode(plain):
        if plain[0] == "child":
            raise ValueError("garbage")
        return tuple(plain)

    def work(n: int):
        return ("child" if os.getpid() != parent else "parent", n)

    with Forked(list(range(10)), work, children=children, parent_weight=1,
                encode=list, decode=decode) as results:
        assert list(results) == [("parent", n) for n in range(10)]


@pytest.mark.parametrize("parent_weight", PARENT_WEIGHTS)
@pytest.mark.parametrize("children", [0, 1, 3])
def test_an_exception_in_the_work_comes_out_at_its_item_as_in_a_plain_loop(
    children, parent_weight
):
    def work(n: int) -> tuple[int, int, str]:
        if n == 7:
            raise KeyError(n)
        return square(n)

    seen = []
    with (
        forked(list(range(12)), work, children=children, parent_weight=parent_weight) as results,
        pytest.raises(KeyError),
    ):
        for result in results:
            seen.append(result)

    assert seen == [square(n) for n in range(7)]


def test_leaving_early_kills_and_reaps_the_children_still_at_work(tmp_path):
    parent = os.getpid()
    children = 3

    def work(n: int) -> tuple[int]:
        pid = os.getpid()
        if pid == parent:
            # Wait until every child has started, so that they are all busy when the
            # reading stops.
            deadline = time.monotonic() + 10
            while len(list(tmp_path.iterdir())) < children and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            (tmp_path / str(pid)).touch()
            time.sleep(0.2)  # ~6 s of work each if nobody stops them
        return (n,)

    started = time.monotonic()
    with forked(list(range(120)), work, children=children, parent_weight=1) as results:
        first = next(results)

    assert first == (0,)
    child_pids = [int(p.name) for p in tmp_path.iterdir()]
    assert len(child_pids) == children
    assert parent not in child_pids
    assert_no_child_left(child_pids)
    assert time.monotonic() - started < 5


def test_a_finished_reading_leaves_no_child_behind():
    parent = os.getpid()
    with forked(list(range(30)), lambda _: (os.getpid(),), children=3, parent_weight=0.5) as r:
        pids = {pid for (pid,) in r} - {parent}

    assert len(pids) == 3
    assert_no_child_left(pids)


def test_leaving_before_reading_anything_leaves_no_child_behind(tmp_path):
    def work(n: int) -> tuple[int]:
        (tmp_path / str(os.getpid())).touch()
        time.sleep(0.05)
        return (n,)

    parent = os.getpid()
    with forked(list(range(40)), work, children=2, parent_weight=0):
        deadline = time.monotonic() + 10
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)

    child_pids = [int(p.name) for p in tmp_path.iterdir()]
    assert len(child_pids) == 2 and parent not in child_pids
    assert_no_child_left(child_pids)


def test_a_child_sending_garbage_with_more_to_send_is_stopped_not_waited_for():
    # The child still has more than a pipe-full to write when its first result turns
    # out undecodable: the parent must stop it, not wait for it to finish writing.
    parent = os.getpid()

    def decode(plain):
        if plain[0] == "child":
            raise ValueError("garbage")
        return tuple(plain)

    def work(n):
        return ("child" if os.getpid() != parent else "parent", n, "x" * 200_000)

    with Forked(list(range(40)), work, children=1, parent_weight=1, encode=list,
                decode=decode) as results:
        got = list(results)
    assert [r[1] for r in got] == list(range(40))
    assert {r[0] for r in got} == {"parent"}


@pytest.mark.skipif(not can_fork(), reason="needs os.fork")
def test_ready_says_whether_the_next_result_would_wait_for_a_child():
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent:
            time.sleep(0.3)
        return n

    forked = Forked([0, 1, 2, 3], work, children=1, parent_weight=1, encode=int, decode=int)
    with forked as results:
        assert forked.owners == [0, 1, 0, 1]
        assert forked.ready()  # the parent's own item: nobody to wait for
        assert next(results) == 0
        assert not forked.ready()  # the child is still at item 1
        deadline = time.monotonic() + 10
        while not forked.ready() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert forked.ready()
        assert list(results) == [1, 2, 3]
        assert forked.ready()  # nothing left to wait for


@pytest.mark.skipif(not can_fork(), reason="needs os.fork")
def test_items_from_a_function_are_found_by_every_process_after_the_fork():
    parent = os.getpid()
    forked = Forked(lambda: list(range(10)), lambda n: (n, os.getpid()), children=2,
                    parent_weight=1, encode=list, decode=tuple)
    with forked as results:
        got = list(results)
    assert [n for n, _ in got] == list(range(10))
    assert len({pid for _, pid in got} - {parent}) == 2  # both children worked


@pytest.mark.skipif(not can_fork(), reason="needs os.fork")
def test_a_child_that_finds_other_items_is_replaced_by_the_parent():
    # The file changed between the parent's look and the child's: the child's results
    # would belong to other items, so none of them is used.
    parent = os.getpid()

    def items():
        return [1, 2, 3, 4] if os.getpid() == parent else [1, 2, 3, 5]

    forked = Forked(items, lambda n: (n, os.getpid()), children=1, parent_weight=1,
                    encode=list, decode=tuple)
    with forked as results:
        got = list(results)
    assert got == [(n, parent) for n in (1, 2, 3, 4)]


@pytest.mark.skipif(not can_fork(), reason="needs os.fork")
def test_a_parent_that_cannot_find_its_items_stops_the_children_and_says_why(tmp_path):
    parent = os.getpid()

    def items():
        if os.getpid() == parent:
            deadline = time.monotonic() + 10  # until both children have started
            while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
                time.sleep(0.005)
            raise LookupError("no such file")
        (tmp_path / str(os.getpid())).touch()
        time.sleep(5)  # still at it when the parent gives up
        return [1, 2]

    started = time.monotonic()
    with pytest.raises(LookupError, match="no such file"), Forked(
        items, lambda n: n, children=2, parent_weight=1, encode=int, decode=int
    ):
        pass
    child_pids = [int(p.name) for p in tmp_path.iterdir()]
    assert len(child_pids) == 2
    assert_no_child_left(child_pids)
    assert time.monotonic() - started < 4
