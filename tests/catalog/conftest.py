"""Catalog tests need the demo units, calendar and catalog, not the staff accounts (whose
password hashing dominates the shared ``demo`` fixture's cost)."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    """CONTRACT §6 demo data without the staff accounts: what ``seed-demo --no-staff`` loads."""
    from motcua.demo.catalog import seed_demo

    seed_demo(with_staff=False)
    return None
