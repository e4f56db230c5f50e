"""Residents, their files, and what they consented to.

A ``Resident`` is the personal record (dossier) professionals work with: special-category
data under the AVG/GDPR. It is fetched only through ``residents.access`` and written only
through ``residents.actions``; every read by a professional is audited.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.guard import ProtectedManager
from socialebasis.privacy.wording import current_wording, purpose_label


class Resident(models.Model):
    """A resident of a municipality, with or without an account of their own (``user``).

    ``neighbourhood`` decides which teams may see the file (a team covers districts).
    ``last_activity_at`` drives retention. ``anonymised_at`` is set when the retention job
    or an erasure replaced the personal fields.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="resident_files"
    )
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_files",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(_("laatste activiteit"), default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"  # related lookups are guarded too
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


# Consent: what a resident agreed to, per purpose, on which wording, recorded by whom.
#
# Every give creates a new row; withdrawing marks the active row, and consenting again to a
# newer wording marks the old row superseded. So the rows of a resident are the full history
# of what they agreed to and when. At most one row per resident and purpose is active.


class Consent(models.Model):
    """A resident's consent to one purpose, on the wording version they were shown.

    ``recorded_by`` is the resident's own account, or a professional who recorded it on
    their behalf (``on_behalf``, with a ``reason``). ``withdrawn_at`` ends it;
    ``superseded_at`` marks a consent replaced by one on a newer wording. It counts only
    while active and on the current wording version (``residents.queries.has_consent``).
    Removed together with the resident's file (retention and erasure).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("doel"), max_length=40)  # a registered purpose
    wording_version = models.PositiveSmallIntegerField(_("versie van de tekst"))
    wording_text = models.TextField(_("getoonde tekst"))
    language = models.CharField(_("taal"), max_length=10, blank=True)
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    on_behalf = models.BooleanField(_("namens de inwoner"), default=False)
    reason = models.TextField(_("reden"), blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    withdrawal_reason = models.TextField(_("reden van intrekken"), blank=True)
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"  # related lookups are guarded too
        # The table keeps the name it had when Consent lived in the privacy app.
        db_table = "privacy_consent"
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True, superseded_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]
        indexes = [models.Index(fields=["purpose", "wording_version"])]

    def __str__(self) -> str:
        return f"{purpose_label(self.purpose)} (v{self.wording_version})"

    @property
    def purpose_label(self):
        return purpose_label(self.purpose)

    @property
    def municipality(self):
        """The resident's municipality (audit rows of a consent belong to it)."""
        return self.resident.municipality  # access-ok: the consent's own file

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None

    @property
    def is_current(self) -> bool:
        """Active and given on the wording the resident would be shown today."""
        return self.is_active and self.wording_version == current_wording(self.purpose).version
