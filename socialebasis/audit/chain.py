"""The keys and the hash of the audit chain.

Every row's ``hash`` is an HMAC-SHA256 of its content and the previous row's hash, under a
key the database does not hold (``SB_AUDIT_KEY``, in the application's environment). Someone
who can write the table (a database superuser with the triggers off) can delete or change
rows, but cannot compute the hash of a changed row, nor of the rows after it, without the key:
``verify-audit`` finds the row. Deleting rows at the end of the chain, or all of them, is
found by the anchors (``audit.anchoring``).

Keys are named by an id derived from the key (``key_id_of``: 12 hex characters of a SHA-256,
nothing that helps guessing a long random key); each row records the id of the key that
signed it, so rows signed before a key rotation still verify with the old key, kept in
``SB_AUDIT_KEYS``. Rows from before keyed hashes have no key id (``LEGACY``) and a plain
SHA-256; they are accepted only as the start of the chain, sealed by the keyed row after them
(migration ``0004`` appends that row), so unkeyed rows cannot be forged later.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY = None  # the key id of rows from before keyed hashes (plain SHA-256)


def key_id_of(secret: str) -> str:
    """The id under which rows signed with ``secret`` name their key (12 hex characters)."""
    return hashlib.sha256(b"sociale-basis audit key id|" + secret.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """(key id, key) that signs new rows: ``settings.AUDIT_KEY`` (``SB_AUDIT_KEY``).
    ImproperlyConfigured when it is empty."""
    secret = getattr(settings, "AUDIT_KEY", "")
    if not secret:
        raise ImproperlyConfigured("SB_AUDIT_KEY is not set: the audit log cannot be signed")
    return key_id_of(secret), secret.encode()


def known_keys() -> dict[str, bytes]:
    """Every key rows may be signed with, by key id: the current key and the retired ones
    (``settings.AUDIT_KEYS``, from ``SB_AUDIT_KEYS``)."""
    secrets = [getattr(settings, "AUDIT_KEY", ""), *getattr(settings, "AUDIT_KEYS", [])]
    return {key_id_of(secret): secret.encode() for secret in secrets if secret}


def payload(row) -> bytes:
    """The bytes a row's hash covers: the previous hash, its sequence, time, event, actor,
    subject, municipality, reason and field names, and (keyed rows) its key id. ``row`` is an
    ``AuditEvent`` (or the historical model in a migration)."""
    values = [
        row.prev_hash,
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
    if row.key_id is not LEGACY:
        values.append(row.key_id)  # the key id is signed too (legacy rows keep their old form)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(row, key: bytes | None) -> str:
    """The hex hash of ``row``: HMAC-SHA256 under ``key``, or plain SHA-256 for a legacy row
    (``key`` None)."""
    if key is None:
        return hashlib.sha256(payload(row)).hexdigest()
    return hmac.new(key, payload(row), hashlib.sha256).hexdigest()


def sign(row) -> None:
    """Set ``row.key_id`` and ``row.hash`` with the current key (before the row is saved)."""
    row.key_id, key = current_key()
    row.hash = digest(row, key)
