"""The audit log: append-only (model and database), hash-chained, verified by verify-audit."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from socialebasis.audit import events
from socialebasis.audit.constants import EventType
from socialebasis.audit.models import AppendOnlyError, AuditEvent
from socialebasis.audit.verify import verify_chain
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(django_user_model):
    user = django_user_model.objects.create_user("sw@example.org", "x" * 12)
    organization = f.OrganizationFactory()
    rows = [
        events.login(user),
        events.record_viewed(user, organization, reason="intake"),
        events.record_changed(user, organization, ["name", "email"]),
        events.export_made(user, organization, kind="json"),
    ]
    return user, rows


def test_rows_chain_by_sequence_and_hash(chain):
    _, rows = chain
    assert [r.sequence for r in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == events.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert verify_chain().ok and verify_chain().rows == 4


def test_rows_hold_names_not_values(chain):
    user, rows = chain
    changed = rows[2]
    assert changed.event == EventType.RECORD_CHANGED
    assert changed.fields == ["email", "name"]
    assert changed.actor_id == user.pk
    assert changed.subject_type == "directory.organization"


def test_model_refuses_update_and_delete(chain):
    _, rows = chain
    rows[1].reason = "changed"
    with pytest.raises(AppendOnlyError):
        rows[1].save()
    with pytest.raises(AppendOnlyError):
        rows[1].delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'x' WHERE sequence = 2",
        "DELETE FROM audit_auditevent WHERE sequence = 2",
    ],
)
def test_database_refuses_update_and_delete(chain, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 4


def _without_triggers(sql):
    """Tamper as an attacker with table-owner rights would: triggers off, then SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql)


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE audit_auditevent SET reason = 'niets' WHERE sequence = 2", "altered"),
        ("DELETE FROM audit_auditevent WHERE sequence = 2", "gap"),
        ("UPDATE audit_auditevent SET fields = '[]' WHERE sequence = 3", "altered"),
    ],
)
def test_verify_audit_detects_tampering(chain, sql, problem, capsys):
    _without_triggers(sql)
    report = verify_chain()
    assert not report.ok
    assert any(problem in reason for _, reason in report.problems)
    with pytest.raises(SystemExit) as info:
        call_command("verify_audit")
    assert info.value.code == 1
    assert "NIET in orde" in capsys.readouterr().err


def test_verify_audit_ok(chain, capsys):
    call_command("verify_audit")
    assert "4 regels, keten ongebroken" in capsys.readouterr().out


def test_anchor_detects_deleting_the_newest_rows(chain, tmp_path, capsys):
    anchor = tmp_path / "anchors.txt"
    call_command("verify_audit", "--anchor", str(anchor))
    assert anchor.read_text().split()[0] == "4"  # the head was recorded
    # The chain alone cannot see the newest row go...
    _without_triggers("DELETE FROM audit_auditevent WHERE sequence = 4")
    assert verify_chain().ok
    # ...the anchor can.
    with pytest.raises(SystemExit) as info:
        call_command("verify_audit", "--anchor", str(anchor))
    assert info.value.code == 1
    assert "#4: anchored row is gone" in capsys.readouterr().err


def test_anchor_detects_a_rewritten_head_and_bad_lines(chain, tmp_path):
    from socialebasis.audit.anchoring import check_anchors

    head = AuditEvent.objects.get(sequence=4)
    assert check_anchors([f"4 {head.hash} now"]) == []
    assert check_anchors([f"4 {'f' * 64} now"]) == [
        (4, "anchored row has another hash (rewritten)")
    ]
    assert check_anchors(["garbage"]) == [(0, "anchor line 1 is malformed")]


def test_anchor_no_record_leaves_the_file(chain, tmp_path):
    anchor = tmp_path / "anchors.txt"
    call_command("verify_audit", "--anchor", str(anchor))
    recorded = anchor.read_text()
    events.login(None)  # a new head that --no-record must not write down
    call_command("verify_audit", "--anchor", str(anchor), "--no-record")
    assert anchor.read_text() == recorded


def test_anchor_path_mistakes_are_errors_not_a_pass(chain, tmp_path):
    from django.core.management.base import CommandError

    # Checking against a file that is not there would check nothing.
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("verify_audit", "--anchor", str(tmp_path / "typo.txt"), "--no-record")
    # A folder that does not exist: a clear error, not a traceback.
    with pytest.raises(CommandError, match="missing"):
        call_command("verify_audit", "--anchor", str(tmp_path / "missing" / "anchors.txt"))
