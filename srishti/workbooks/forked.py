"""Work through a list of items in forked child processes, results streamed back in order.

Reading a district hospital's workbook is mostly its 18 sheets' XML being parsed (about
5 ms a sheet), and the parser holds the GIL, so threads do not help; processes do. The
items are dealt in turn to the parent and the children; each child works through its
own and sends each result back through its own pipe as soon as it is ready (marshal
format: plain tuples, several times faster to dump and load than pickled objects). The
parent takes the results in item order, so it can use each one (score it, write it to
the database) while the children carry on.

Only on Linux (see `can_fork`). A child that dies or fails for any reason is replaced by the
parent doing that child's remaining items itself, so a result never depends on how many
processes made it. `work` must therefore be free of side effects the parent relies on.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A department is ~80 kB on the wire: a 1 MB pipe (Linux's limit without privileges) lets
# a child run a dozen departments ahead of the parent before it has to wait; elsewhere
# the default 64 kB buffer only makes children wait their turn more often.
_PIPE_BYTES = 1 << 20
_LENGTH = 4


def can_fork() -> bool:
    # Linux only: macOS's system libraries are not safe to use in a forked child of a
    # process that has loaded them (Python's own multiprocessing spawns there instead),
    # and Windows has no fork. Elsewhere the parent reads every sheet itself.
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _Lane:
    """One child: its pipe, and the items it owes the parent, in order."""

    __slots__ = ("pid", "stream", "failed", "checked")

    def __init__(self, pid: int, stream: IO[bytes], *, checked: bool) -> None:
        self.pid = pid
        self.stream = stream
        self.failed = False
        self.checked = checked  # its items are known to be the parent's


class Forked(Generic[T, R]):
    """`with Forked(items, work, ...) as results: for r in results: ...`

    `children` processes share the items with the parent. The parent takes
    `parent_weight` times a child's share (1: as many items as each child; 0: none, it
    only consumes the results, e.g. to write them to a database meanwhile). Items are
    dealt in turn, weighted, so every process gets some early ones and some late ones.
    `encode` turns a result into marshal-able data and `decode` turns it back.

    `items` may be a function returning them instead: it is then called after the fork
    in the parent and in every child, so that each process does its own set-up (opening
    a file) at the same time as the others. Each child first sends back the items it
    found; a child whose items differ from the parent's is treated as failed.
    """

    def __init__(
        self,
        items: Sequence[T] | Callable[[], Sequence[T]],
        work: Callable[[T], R],
        *,
        children: int,
        parent_weight: float,
        encode: Callable[[R], object],
        decode: Callable[[object], R],
    ) -> None:
        self.source = items
        self.work = work
        self.encode = encode
        self.decode = decode
        self.children = children if can_fork() else 0
        # Lane 0 is the parent; lane k > 0 the k-th child.
        self.weights = [parent_weight] + [1.0] * self.children
        self.items: Sequence[T] = []
        self.owners: list[int] = []
        self.lanes: dict[int, _Lane] = {}
        self.finished = False  # every result taken
        self.position = 0  # index of the next result

    def __enter__(self) -> Iterator[R]:
        for lane in range(1, self.children + 1):
            self.lanes[lane] = self._fork(lane)
        try:
            self.items = self.source() if callable(self.source) else self.source
        except BaseException:
            self.__exit__()
            raise
        self.owners = _deal(len(self.items), self.weights)
        return self._results()

    def __exit__(self, *exc: object) -> None:
        for lane in self.lanes.values():
            if lane.failed:  # closed and stopped already
                continue
            lane.stream.close()
            if self.finished:
                _reap(lane.pid)  # it sent everything and is leaving
            else:
                _stop(lane.pid)
        self.lanes.clear()

    def _fork(self, lane: int) -> _Lane:
        read_end, write_end = os.pipe()
        _widen(write_end)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_end)
                for other in self.lanes.values():
                    other.stream.close()
                with os.fdopen(write_end, "wb") as out:
                    items = self.source() if callable(self.source) else self.source
                    owners = _deal(len(items), self.weights)
                    share = [item for item, owner in zip(items, owners, strict=True)
                             if owner == lane]
                    messages = (self.encode(self.work(item)) for item in share)
                    if callable(self.source):
                        messages = itertools.chain([list(items)], messages)
                    for message in messages:
                        data = marshal.dumps(message)
                        out.write(len(data).to_bytes(_LENGTH, "little"))
                        out.write(data)
                        out.flush()
                status = 0
            finally:
                # No clean-up of the parent's state (database connections, buffered
                # output, temporary files) may run twice.
                os._exit(status)
        os.close(write_end)
        # Unbuffered, so that `ready` can ask the pipe itself whether bytes are waiting.
        return _Lane(pid, os.fdopen(read_end, "rb", buffering=0),
                     checked=not callable(self.source))

    def ready(self) -> bool:
        """Whether the next result can be had without waiting for a child (it is the
        parent's own to work out, or its child has begun to send it)."""
        if self.position >= len(self.items):
            return True
        lane = self.lanes.get(self.owners[self.position])
        if lane is None or lane.failed:
            return True
        import select  # only consumers that overlap work with reading ask

        return bool(select.select([lane.stream], [], [], 0)[0])

    def _results(self) -> Iterator[R]:
        for index, (item, owner) in enumerate(zip(self.items, self.owners, strict=True)):
            lane = self.lanes.get(owner)
            if lane is None or lane.failed:
                result = self.work(item)
            else:
                received = self._receive(lane)
                result = self.work(item) if received is None else received[0]
            self.position = index + 1
            yield result
        self.finished = True

    def _receive(self, lane: _Lane) -> tuple[R] | None:
        try:
            if not lane.checked:  # the items the child found come first
                lane.checked = _message(lane.stream) == list(self.items)
            if lane.checked:
                data = _message(lane.stream)
                if data is not None:
                    return (self.decode(data),)
        except (EOFError, ValueError, TypeError, OSError):
            pass
        # Died or sent garbage: the parent takes over its items. A child still alive may
        # be blocked writing to the pipe, so it is stopped, not waited for.
        lane.failed = True
        lane.stream.close()
        _stop(lane.pid)
        return None


def _deal(count: int, weights: list[float]) -> list[int]:
    """Which lane takes each of `count` items: smooth weighted round robin (each turn the
    lane furthest behind its due share takes the item). The parent (lane 0), if it
    works at all, takes the first item: it would otherwise sit idle while a child starts
    up to read it."""
    total = sum(weights)
    credit = [0.0] * len(weights)
    owners = []
    for _ in range(count):
        for lane, weight in enumerate(weights):
            credit[lane] += weight
        lane = max(range(len(weights)), key=credit.__getitem__)
        credit[lane] -= total
        owners.append(lane)
    if 0 in owners and owners[0] != 0:
        first = owners.index(0)
        owners[0], owners[first] = 0, owners[0]
    return owners


def _widen(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _message(stream: IO[bytes]) -> object:
    """The next message from a child's pipe; None at its end."""
    head = _read_exact(stream, _LENGTH)
    if len(head) < _LENGTH:
        return None
    data = _read_exact(stream, int.from_bytes(head, "little"))
    return marshal.loads(data) if data else None


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes from a pipe (fewer only at its end): a read returns what is there."""
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _stop(pid: int) -> None:
    """Reap a child, killing it first if it is still at work (its results are no longer
    wanted: the reading ended early at an error, or the child failed)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == 0:
            import signal  # rarely needed: not worth its import on every read

            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass

