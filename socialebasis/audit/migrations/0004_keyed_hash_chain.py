"""Keyed hashes for the audit chain (``audit.chain``).

Rows already in the log keep their plain SHA-256 hash: the table refuses updates (and
re-signing them would let this migration vouch for rows it cannot check). They get no key id
(NULL: legacy) and stay verifiable as they are. Then one keyed row (``audit_chain_keyed``) is
appended after them. It covers the last legacy row's hash under the key, which seals the
legacy rows: changing one of them breaks the link into a row nobody can re-sign without the
key, and ``verify-audit`` refuses legacy rows after a keyed row or a chain of legacy rows
alone. An empty log (a new installation) gets no extra row.
"""

from django.db import migrations, models
from django.utils import timezone


def seal_legacy_rows(apps, schema_editor):
    from socialebasis.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    head = AuditEvent.objects.order_by("-sequence").first()
    if head is None or head.key_id is not None:
        return
    row = AuditEvent(
        sequence=head.sequence + 1,
        prev_hash=head.hash,
        occurred_at=timezone.now(),
        event="audit_chain_keyed",
        actor_id=None,
        subject_type="",
        subject_id="",
        municipality_code="",
        reason=f"legacy rows 1-{head.sequence}",
        fields=[],
    )
    chain.sign(row)
    row.save()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_event_registry_guarded_manager")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, editable=False, max_length=16, null=True),
        ),
        migrations.RunPython(seal_legacy_rows, migrations.RunPython.noop),
    ]
