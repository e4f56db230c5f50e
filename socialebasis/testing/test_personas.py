"""The persona world is built without factory_boy, so ``socialebasis seed-personas`` works on
an install without the test extras (``pip install -e .``)."""

import importlib
import sys

import pytest

from socialebasis.testing.personas import ALL_PERSONA_SPECS, EXTRA_PERSONA_SPECS, PERSONA_KEYS

pytestmark = pytest.mark.django_db


def test_the_world_needs_no_factory_boy(monkeypatch):
    # factory_boy, and every factories module of the project, cannot be imported...
    monkeypatch.setitem(sys.modules, "factory", None)
    for name in [n for n in sys.modules if n.startswith("factory.") or n.endswith(".factories")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError):
        importlib.import_module("factory")
    # ...yet the persona module imports afresh and builds the world.
    monkeypatch.delitem(sys.modules, "socialebasis.testing.personas")
    personas = importlib.import_module("socialebasis.testing.personas")
    world = personas.build_personas()
    assert {p.key for p in world} == set(ALL_PERSONA_SPECS)
    assert world.resident.resident == world.resident_file
    seed = importlib.reload(
        importlib.import_module("socialebasis.security.management.commands.seed_personas")
    )
    assert seed.build_personas is personas.build_personas


def test_extra_personas_are_not_in_the_matrix(personas):
    assert not set(EXTRA_PERSONA_SPECS) & set(PERSONA_KEYS)
    assert personas.newcomer.user.memberships.count() == 0
    assert personas.newcomer.resident is None
    regional = personas.regional_privacy_officer.user.memberships.get()
    assert set(regional.region.municipalities.values_list("code", flat=True)) == {
        "GM0363",
        "GM0344",
    }


def test_fatima_consented_to_her_network(personas):
    from socialebasis.residents.constants import Purpose
    from socialebasis.residents.queries import has_consent

    assert has_consent(personas.resident_file, Purpose.WORKER_SEES_NETWORK)


def test_without_consents_the_audit_log_is_empty():
    from socialebasis.audit.models import AuditEvent
    from socialebasis.residents.models import Consent
    from socialebasis.testing.personas import build_personas

    build_personas(consents=False)
    assert not AuditEvent.objects.exists() and not Consent.objects.exists()
