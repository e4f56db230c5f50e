"""Read-side selectors of the privacy app over the audit log."""

from socialebasis.audit.models import AuditEvent


def audited_subject_types() -> list[str]:
    """Every subject type that occurs in the audit log (for the viewer's filter)."""
    return list(
        AuditEvent.objects.exclude(subject_type="")
        .order_by()
        .values_list("subject_type", flat=True)
        .distinct()
    )
