"""Residents and their files.

A ``Resident`` is the personal record (dossier) professionals work with: special-category
data under the AVG/GDPR. It is fetched only through ``residents.access`` and written only
through ``residents.actions``; every read by a professional is audited.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
