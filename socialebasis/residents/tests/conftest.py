"""Fixtures of these tests: the one persona world (``socialebasis.testing.personas``), as it
is before Fatima gave any consent (so the audit log starts empty)."""

import pytest

from socialebasis.testing.personas import build_personas


@pytest.fixture
def world(db):
    return build_personas(consents=False)
