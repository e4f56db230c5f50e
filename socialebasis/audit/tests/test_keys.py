"""The audit chain's keys: rotation keeps old rows verifiable, legacy (unkeyed) rows are
accepted only as a sealed start of the chain; the anchor task and --record-only."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from socialebasis.audit import chain, events
from socialebasis.audit.models import AuditEvent
from socialebasis.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _legacy_row(sequence: int, prev_hash: str) -> AuditEvent:
    """A row as the code before keyed hashes wrote it: no key id, plain SHA-256."""
    row = AuditEvent(
        sequence=sequence, prev_hash=prev_hash, occurred_at=timezone.now(), event="login"
    )
    row.hash = row.compute_hash(None)
    row.save()
    return row


def test_rows_name_their_key_and_rotation_keeps_them_verifiable(settings):
    settings.AUDIT_KEY = "oude-sleutel-" + "a" * 40
    old = events.login(None)
    assert old.key_id == chain.key_id_of(settings.AUDIT_KEY)
    # Rotation: a new key signs new rows, the old one moves to SB_AUDIT_KEYS.
    settings.AUDIT_KEYS = [settings.AUDIT_KEY]
    settings.AUDIT_KEY = "nieuwe-sleutel-" + "b" * 40
    new = events.login(None)
    assert new.key_id != old.key_id
    assert verify_chain().ok
    # Without the old key its rows cannot be checked: reported, not passed.
    settings.AUDIT_KEYS = []
    problems = verify_chain().problems
    assert problems == [
        (1, f"signed with key {old.key_id}, which is not configured (SB_AUDIT_KEYS)")
    ]


def test_a_retired_key_cannot_sign_again(settings):
    first = "eerste-" + "a" * 40
    settings.AUDIT_KEY = first
    events.login(None)
    settings.AUDIT_KEY, settings.AUDIT_KEYS = "tweede-" + "b" * 40, [first]
    events.login(None)
    # Someone holding the retired key appends a row with it.
    settings.AUDIT_KEY = first
    events.login(None)
    settings.AUDIT_KEY = "tweede-" + "b" * 40
    assert verify_chain().problems == [
        (3, f"key {chain.key_id_of(first)} signs again after a newer key (rewritten)")
    ]


def test_legacy_rows_verify_once_sealed_by_the_migration():
    first = _legacy_row(1, events.GENESIS)
    _legacy_row(2, first.hash)
    assert "not sealed" in dict(verify_chain().problems)[2]
    migration = importlib.import_module("socialebasis.audit.migrations.0004_keyed_hash_chain")
    migration.seal_legacy_rows(apps, None)
    seal = AuditEvent.objects.get(sequence=3)
    assert seal.event == "audit_chain_keyed" and seal.key_id == chain.current_key()[0]
    migration.seal_legacy_rows(apps, None)  # sealed already: nothing more
    events.login(None)
    assert AuditEvent.objects.count() == 4
    assert verify_chain().ok


def test_a_legacy_row_after_keyed_rows_is_refused():
    keyed = events.login(None)
    _legacy_row(2, keyed.hash)
    events.login(None)
    assert verify_chain().problems == [
        (2, "unkeyed row after keyed rows (rewritten without the key)")
    ]


def test_the_anchor_task_and_record_only(settings, tmp_path):
    from socialebasis.audit.tasks import record_audit_anchor

    assert record_audit_anchor.enqueue().return_value.startswith("skipped: SB_AUDIT_ANCHOR")
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    assert record_audit_anchor.enqueue().return_value == "skipped: the audit log is empty"
    head = events.login(None)
    line = record_audit_anchor.enqueue().return_value
    assert line.split()[:3] == ["1", head.hash, "1"]
    call_command("verify_audit", "--record-only")
    lines = (tmp_path / "anchors.log").read_text().splitlines()
    assert lines[0] == line and len(lines) == 2


def test_old_anchor_lines_without_a_count_are_read(settings, tmp_path):
    from socialebasis.audit.anchoring import check_anchors

    head = events.login(None)
    assert check_anchors([f"1 {head.hash} {head.occurred_at.isoformat()}"]) == []
    assert check_anchors([f"2 {'a' * 64} 2026-01-01T00:00:00+00:00"]) == [
        (2, "anchored row is gone (rows deleted after the anchor)"),
        (0, "1 rows, fewer than the 2 anchored: rows deleted"),
    ]


def test_no_store_is_said_and_record_only_needs_one(capsys):
    from django.core.management.base import CommandError

    events.login(None)
    call_command("verify_audit")
    assert "Geen ankeropslag" in capsys.readouterr().err
    with pytest.raises(CommandError, match="SB_AUDIT_ANCHOR_FILE"):
        call_command("verify_audit", "--record-only")


def _manage(*args, **env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SB_", "DJANGO_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parents[3],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_needs_an_audit_key_and_warns_without_an_anchor_store():
    import secrets

    production = {"SB_PRODUCTION": "1", "SB_SECRET_KEY": secrets.token_urlsafe(50)}
    result = _manage("check", **production)
    assert result.returncode != 0 and "SB_AUDIT_KEY" in result.stderr
    result = _manage("check", "--deploy", SB_AUDIT_KEY=secrets.token_urlsafe(50), **production)
    assert "audit.W001" in result.stdout + result.stderr
