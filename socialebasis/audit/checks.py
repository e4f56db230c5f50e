"""Deploy check of the audit app (``manage.py check --deploy``)."""

from django.core import checks

from socialebasis.audit.anchoring import anchor_store


@checks.register(checks.Tags.security, deploy=True)
def check_anchor_store(app_configs, **kwargs):
    """Without an anchor store, deleting the newest audit rows (or all) goes unnoticed."""
    if anchor_store() is None:
        return [
            checks.Warning(
                "No anchor store for the audit log: deleting its newest rows, or all rows, "
                "would not be detected.",
                hint="Set SB_AUDIT_ANCHOR_FILE to a file outside the database server; the "
                "scheduled job record_audit_anchor (socialebasis worker) appends to it hourly.",
                id="audit.W001",
            )
        ]
    return []
