"""Issue 8, "Audit chain": tampering by someone who can write the table (triggers off) but
does not hold SB_AUDIT_KEY must fail ``verify-audit`` without any option: deleting the newest
rows, deleting every row, and rewriting a row with every later hash recomputed. Anchors go to
the store configured in SB_AUDIT_ANCHOR_FILE (``record_anchor``, or a clean verify-audit)."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import connection

from socialebasis.audit import events
from socialebasis.audit.models import AuditEvent
from socialebasis.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    return tmp_path / "anchors.log"


@pytest.fixture
def rows(django_user_model):
    user = django_user_model.objects.create_user("sw@example.org", "x" * 12)
    return [events.login(user), events.logout(user), events.login(user), events.logout(user)]


def _without_triggers(sql: str) -> None:
    """Tamper as someone with table-owner rights would: triggers off, then SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql)


def _verify(capsys):
    """Run ``verify-audit`` without options: (exit code, stdout, stderr)."""
    try:
        call_command("verify_audit")
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _rewrite_without_the_key(sequence: int, reason: str) -> None:
    """What the attacker can do: change row ``sequence`` and recompute every later hash, as
    the old unkeyed chain allowed (SHA-256 of the same payload; no key to compute an HMAC)."""
    _without_triggers("SELECT 1")
    later = list(AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"))
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for row in later:
        if row.sequence == sequence:
            row.reason = reason
        values = [
            previous,
            row.sequence,
            row.occurred_at.isoformat(),
            row.event,
            str(row.actor_id or ""),
            row.subject_type,
            row.subject_id,
            row.municipality_code,
            row.reason,
            row.fields,
        ]
        if getattr(row, "key_id", None) is not None:  # (the old model had no key id)
            values.append(row.key_id)
        payload = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        new_hash = hashlib.sha256(payload).hexdigest()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s "
                "WHERE sequence = %s",
                [row.reason, previous, new_hash, row.sequence],
            )
        previous = new_hash


def test_the_good_path_passes_and_records_an_anchor(rows, store, capsys):
    code, out, _ = _verify(capsys)
    assert code == 0 and "Auditlog in orde: 4 regels" in out
    assert store.read_text().split()[:3] == ["4", rows[-1].hash, "4"]
    events.login(None)
    code, out, _ = _verify(capsys)
    assert code == 0 and "5 regels" in out
    assert len(store.read_text().splitlines()) == 2


def test_deleting_the_newest_rows_fails(rows, store, capsys):
    _verify(capsys)  # a clean check records the head (#4) in the store
    _without_triggers("DELETE FROM audit_auditevent WHERE sequence >= 3")
    code, _, err = _verify(capsys)
    assert code == 1
    assert "#4: anchored row is gone" in err
    assert "2 rows, fewer than the 4 anchored: rows deleted" in err


def test_deleting_every_row_fails(rows, store, capsys):
    from socialebasis.audit.anchoring import record_anchor

    record_anchor()  # the hourly job
    _without_triggers("DELETE FROM audit_auditevent")
    code, _, err = _verify(capsys)
    assert code == 1
    assert "the log is empty (every row deleted)" in err


def test_rewriting_a_row_and_recomputing_later_hashes_fails(rows, capsys):
    # No anchor store at all: the key alone finds it.
    _rewrite_without_the_key(2, "rewritten")
    assert AuditEvent.objects.get(sequence=2).reason == "rewritten"
    report = verify_chain()
    assert not report.ok
    assert (2, "content does not match its hash (altered)") in report.problems
    code, _, err = _verify(capsys)
    assert code == 1 and "NIET in orde" in err


def test_rewriting_rows_as_unkeyed_legacy_rows_fails(rows, capsys):
    # Passing rows off as rows from before keyed hashes (no key id, plain SHA-256).
    _without_triggers("UPDATE audit_auditevent SET key_id = NULL")
    _rewrite_without_the_key(1, "forged")
    problems = dict(verify_chain().problems)
    assert "not sealed" in problems[4]
