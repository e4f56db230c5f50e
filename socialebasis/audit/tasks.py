"""Background work of the audit app: recording the chain's head outside the database.

``record_audit_anchor`` is ``anchoring.record_anchor`` as a task of Django's tasks framework
(``django-tasks``, run by ``socialebasis worker``), on the one schedule hourly (job
``record_audit_anchor``, five minutes past the hour). Without a configured anchor store
(``SB_AUDIT_ANCHOR_FILE``) it records nothing and logs a warning.
"""

import logging

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from socialebasis.audit.anchoring import anchor_store, record_anchor
from socialebasis.lib.schedule import register_job

log = logging.getLogger(__name__)


@task()
def record_audit_anchor() -> str:
    """Append the audit chain's head to the anchor store; returns the line written, or why
    nothing was ("skipped: ..."). OSError (the store cannot be written) fails the task."""
    if anchor_store() is None:
        log.warning("audit anchor skipped: SB_AUDIT_ANCHOR_FILE is not set")
        return "skipped: SB_AUDIT_ANCHOR_FILE is not set"
    anchor = record_anchor()
    return anchor.line() if anchor else "skipped: the audit log is empty"


register_job(
    "record_audit_anchor",
    record_audit_anchor,
    "FREQ=HOURLY;BYMINUTE=5",
    _("De kop van het auditlog buiten de database vastleggen (anker)"),
    app="audit",
)
