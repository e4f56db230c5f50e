"""Writing the audit log: one function per event, the only way rows are created.

Each function takes the acting user (or None for the system), the subject (a model instance
with a UUID ``pk`` and, where it has one, a ``municipality``), and only the non-sensitive
facts the event needs. Rows are appended under a lock so the hash chain never forks:
PostgreSQL takes a transaction-level advisory lock; SQLite serialises writers already
(``transaction_mode=IMMEDIATE`` in settings).
"""

from django.db import connection, transaction
from django.utils import timezone

from socialebasis.audit import chain
from socialebasis.audit.constants import EventType
from socialebasis.audit.models import AuditEvent
from socialebasis.lib.guard import unscoped

GENESIS = "0" * 64
_LOCK_KEY = 0x5B_A0D17  # PostgreSQL advisory lock id of the audit chain


def _subject(subject) -> tuple[str, str, str]:
    if subject is None:
        return "", "", ""
    label = subject._meta.label_lower
    municipality = getattr(subject, "municipality", None)
    code = getattr(municipality, "code", "") if municipality is not None else ""
    return label, str(subject.pk), code


def append(
    event: str,
    actor=None,
    subject=None,
    *,
    reason: str = "",
    fields: list[str] | None = None,
    subject_type: str = "",
    subject_id: str = "",
    municipality_code: str = "",
) -> AuditEvent:
    """Append one row to the chain. Prefer the named functions below."""
    label, pk, code = _subject(subject)
    with transaction.atomic(), unscoped("the audit writer reads the chain's head"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        head = AuditEvent.objects.order_by("-sequence")  # access-ok: the writer, unscoped
        last = head.values("sequence", "hash").first()
        row = AuditEvent(
            sequence=(last["sequence"] + 1) if last else 1,
            prev_hash=last["hash"] if last else GENESIS,
            occurred_at=timezone.now(),
            event=event,
            actor_id=getattr(actor, "pk", None)
            if actor is not None and actor.is_authenticated
            else None,
            subject_type=subject_type or label,
            subject_id=subject_id or pk,
            municipality_code=municipality_code or code,
            reason=reason[:2000],
            fields=sorted(fields or []),
        )
        chain.sign(row)  # HMAC under SB_AUDIT_KEY, which the database does not hold
        row.save()
    return row


def record_viewed(actor, subject, *, reason: str = "") -> AuditEvent:
    """A professional opened a personal record (a resident's file)."""
    return append(EventType.RECORD_VIEWED, actor, subject, reason=reason)


def record_created(actor, subject) -> AuditEvent:
    return append(EventType.RECORD_CREATED, actor, subject)


def record_changed(actor, subject, fields: list[str], *, reason: str = "") -> AuditEvent:
    """A personal record changed; ``fields`` are the changed field names, never values."""
    return append(EventType.RECORD_CHANGED, actor, subject, fields=fields, reason=reason)


def record_erased(
    actor, subject_type: str, subject_id: str, municipality_code: str, *, reason: str = ""
) -> AuditEvent:
    """A record was erased (the subject no longer exists, so it is named by type and id)."""
    return append(
        EventType.RECORD_ERASED,
        actor,
        None,
        subject_type=subject_type,
        subject_id=subject_id,
        municipality_code=municipality_code,
        reason=reason,
    )


def record_anonymised(actor, subject, *, reason: str = "") -> AuditEvent:
    return append(EventType.RECORD_ANONYMISED, actor, subject, reason=reason)


def export_made(actor, subject, *, kind: str) -> AuditEvent:
    """Data left the platform: a data-subject export, a CSV, ... (``kind`` says which)."""
    return append(EventType.EXPORT_MADE, actor, subject, reason=kind)


def consent_given(actor, consent, *, reason: str = "") -> AuditEvent:
    """A resident's consent (``residents.Consent``) was recorded; ``fields`` names the purpose
    and wording version (``purpose@v1``); ``reason`` is given when a professional recorded it
    on the resident's behalf."""
    return append(
        EventType.CONSENT_GIVEN,
        actor,
        consent,
        reason=reason,
        fields=[f"{consent.purpose}@v{consent.wording_version}"],
    )


def consent_withdrawn(actor, consent, *, reason: str = "") -> AuditEvent:
    """A consent was withdrawn (by the resident, or on their behalf with ``reason``)."""
    return append(
        EventType.CONSENT_WITHDRAWN,
        actor,
        consent,
        reason=reason,
        fields=[f"{consent.purpose}@v{consent.wording_version}"],
    )


def login(user, *, method: str = "") -> AuditEvent:
    """A completed login; ``method`` says how (e.g. "password+totp", "oidc")."""
    return append(EventType.LOGIN, user, user, reason=method)


def login_failed(email_hash: str) -> AuditEvent:
    """A failed login. The typed e-mail is stored only as a keyed hash (no personal data)."""
    return append(
        EventType.LOGIN_FAILED,
        None,
        None,
        subject_type="accounts.login",
        subject_id=email_hash[:64],
    )


def logout(user) -> AuditEvent:
    return append(EventType.LOGOUT, user, user)


def logout_everywhere(user, *, actor=None) -> AuditEvent:
    """Every session of ``user`` ended (by themself, or by ``actor``, an administrator)."""
    return append(EventType.LOGOUT_EVERYWHERE, actor or user, user)


def locked_out(email_hash: str) -> AuditEvent:
    return append(
        EventType.LOCKED_OUT, None, None, subject_type="accounts.login", subject_id=email_hash[:64]
    )


def password_changed(user, *, actor=None) -> AuditEvent:
    """A new password for ``user`` (set by themself, or by ``actor``, an administrator)."""
    return append(EventType.PASSWORD_CHANGED, actor or user, user)


def email_verified(user) -> AuditEvent:
    return append(EventType.EMAIL_VERIFIED, user, user)


def two_factor_enabled(user, *, detail: str = "") -> AuditEvent:
    """Two-factor authentication set up (``detail``: "totp", or "recovery codes renewed")."""
    return append(EventType.TWO_FACTOR_ENABLED, user, user, reason=detail)


def two_factor_disabled(actor, user) -> AuditEvent:
    return append(EventType.TWO_FACTOR_DISABLED, actor, user)


def recovery_code_used(user) -> AuditEvent:
    return append(EventType.RECOVERY_CODE_USED, user, user)


def role_changed(actor, membership, *, change: str, fields: list[str] | None = None) -> AuditEvent:
    """A role was granted, changed or revoked (``change``: "granted", "changed" with the
    changed field names in ``fields``, or "revoked")."""
    return append(
        EventType.ROLE_CHANGED,
        actor,
        membership,
        reason=change,
        fields=fields,
        subject_type="accounts.membership",
        subject_id=str(membership.pk),
        municipality_code=membership.municipality.code,
    )


_GRANT_EVENTS = {
    "requested": EventType.ROLE_REQUESTED,
    "approved": EventType.ROLE_APPROVED,
    "rejected": EventType.ROLE_REJECTED,
}


def role_grant(actor, grant, *, step: str) -> AuditEvent:
    """A step of a four-eyes role grant (``accounts.RoleGrant``): ``step`` "requested",
    "approved" or "rejected"; ``reason`` holds the role's name."""
    return append(
        _GRANT_EVENTS[step],
        actor,
        grant,
        reason=grant.role,
        subject_type="accounts.rolegrant",
        subject_id=str(grant.pk),
        municipality_code=grant.municipality.code,
    )


def role_first_use(user, membership) -> AuditEvent:
    """``user`` opened personal data for the first time through a membership an approved
    grant created (so the privacy officer of its municipality sees a new role in use)."""
    return append(
        EventType.ROLE_FIRST_USE,
        user,
        membership,
        reason=membership.role,
        subject_type="accounts.membership",
        subject_id=str(membership.pk),
        municipality_code=membership.municipality.code,
    )


def retention_applied(
    subject_type: str, subject_id: str, municipality_code: str, *, action: str
) -> AuditEvent:
    """The retention job deleted or anonymised a record (``action``: deleted/anonymised).
    The row names the record by type and id (it may no longer exist)."""
    return append(
        EventType.RETENTION_APPLIED,
        None,
        None,
        subject_type=subject_type,
        subject_id=subject_id,
        municipality_code=municipality_code,
        reason=action,
    )


def erasure_requested(actor, subject) -> AuditEvent:
    return append(EventType.ERASURE_REQUESTED, actor, subject)


def audit_exported(actor, *, filters: str) -> AuditEvent:
    return append(EventType.AUDIT_EXPORTED, actor, None, reason=filters)


def registration_repeated(user) -> AuditEvent:
    """Someone registered with the e-mail address of ``user``'s existing account (nobody
    logged in; the account is unchanged and its owner gets a note by mail)."""
    return append(EventType.REGISTRATION_REPEATED, None, user)
