"""Small builders for scoring tests: checkpoints and units with chosen totals."""

from __future__ import annotations

from srishti.scoring.types import CheckpointScore


def cp(
    value: float | None,
    *,
    department: str = "OPD",
    area: str = "A",
    standard: str = "A1",
    full: float = 2.0,
) -> CheckpointScore:
    return CheckpointScore(
        department=department, area=area, standard=standard, value=value, full=full
    )


def unit(
    obtained: int,
    maximum: int,
    *,
    department: str = "OPD",
    area: str = "A",
    standard: str = "A1",
) -> list[CheckpointScore]:
    """Checkpoints on the NQAS 0/1/2 scale totalling exactly obtained/maximum points."""
    assert maximum % 2 == 0 and 0 <= obtained <= maximum
    twos, one = divmod(obtained, 2)
    values = [2.0] * twos + [1.0] * one
    values += [0.0] * (maximum // 2 - len(values))
    return [cp(v, department=department, area=area, standard=standard) for v in values]
