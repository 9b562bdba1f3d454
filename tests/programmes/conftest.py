from __future__ import annotations

import pytest


@pytest.fixture
def rules(db):
    """The seeded programme rule sets (flushed in transactional tests, so seeded again)."""
    from srishti.programmes.services import rule_sets_seed

    rule_sets_seed()
