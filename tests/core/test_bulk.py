"""Plain-row inserts with ids reserved beforehand (srishti.core.bulk)."""

import pytest
from django.db import transaction

from srishti.checklists.models import Tool
from srishti.core.bulk import insert_rows, reserve_ids
from srishti.geography.models import State


@pytest.mark.django_db(transaction=True)
def test_reserved_ids_are_new_and_the_next_ordinary_insert_follows_them():
    first = [State.objects.create(name=f"S{i}", code=f"S{i}") for i in range(3)]
    highest = first[-1].pk
    first[-1].delete()  # the highest id ever used is gone, and must not come back

    with transaction.atomic():
        Tool.objects.create(code="TEST", name="Test")  # the transaction has written
        ids = reserve_ids(State, 3)
        insert_rows(State, ("id", "name", "code"), [(pk, f"R{pk}", f"R{pk}") for pk in ids])

    assert min(ids) > highest
    assert len(set(ids)) == 3
    assert sorted(State.objects.filter(name__startswith="R").values_list("id", flat=True)) \
        == sorted(ids)
    later = State.objects.create(name="U", code="U")
    assert later.pk > max(ids)


@pytest.mark.django_db
def test_no_ids_for_no_rows():
    assert reserve_ids(State, 0) == []
