"""The append-only audit log.

Every row is written once by ``audit.events`` and never changed: the model refuses updates
and deletes, and database triggers (migration 0002) refuse them too. Rows are chained by a
keyed hash: ``hash = HMAC-SHA256(key, prev_hash | sequence | occurred_at | event | actor |
subject | reason | fields | key_id)`` with a key the database does not hold (``audit.chain``),
so ``socialebasis verify-audit`` detects a changed row (also when every later hash was
recomputed), a deleted row (a gap in ``sequence`` or a broken link) and a reordered row; the
anchors outside the database (``audit.anchoring``) detect deleted rows at the end. Rows hold
no sensitive values: the subject is a type and an id, the actor a user id, ``fields`` lists
changed field *names* only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.audit import chain
from socialebasis.audit.constants import EVENTS
from socialebasis.lib.guard import ProtectedManager


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEvent(models.Model):
    """One thing that happened: who (actor), what (event), to what (subject), when, why."""

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(_("tijdstip"), db_index=True)
    event = models.CharField(_("gebeurtenis"), max_length=30, db_index=True)
    # A plain id, not a foreign key: deleting a user must not rewrite (SET NULL) audit rows.
    # The viewer resolves it to a user while that user exists.
    actor_id = models.UUIDField(_("wie (gebruikers-id)"), null=True, blank=True, db_index=True)
    subject_type = models.CharField(_("soort gegeven"), max_length=50, blank=True, db_index=True)
    subject_id = models.CharField(_("id gegeven"), max_length=64, blank=True, db_index=True)
    municipality_code = models.CharField(_("gemeente"), max_length=6, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)
    # The id of the key that signed the row (``chain.key_id_of``); NULL for a row from before
    # keyed hashes (plain SHA-256). Nullable so adding it changed no row (the table refuses
    # updates, and SQLite would rebuild the table, and lose its triggers, for a default).
    key_id = models.CharField(max_length=16, null=True, blank=True, editable=False)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"  # related lookups are guarded too
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")

    @property
    def event_label(self):
        """The registered label of ``event`` (the name itself if no app declares it)."""
        return EVENTS.label(self.event)

    def compute_hash(self, key: bytes | None = None) -> str:
        """The hex digest that chains this row to ``prev_hash``: HMAC-SHA256 under ``key``
        (plain SHA-256 for a legacy row, ``key`` None)."""
        return chain.digest(self, key)
