"""Users of the platform.

The custom user model exists from the very first migration because Django cannot switch to
one later. Roles (memberships of a municipality, a team, a region) and two-factor
authentication build on it. Which organisation a professional works for belongs to the sphere
that needs it (a social worker's employer, an organiser's association), never to this base
app: accounts points only down, to ``areas``.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialebasis.accounts.constants import ROLES, professional_roles


class UserManager(BaseUserManager):
    """Creates users identified by e-mail address (normalised to lower case)."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: identified by a UUID, logs in with an e-mail address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    is_staff = models.BooleanField(_("beheerder"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail bevestigd op"), null=True, blank=True)
    # A new address the user asked for: it replaces ``email`` only when the link mailed to
    # it is followed (``actions.do_confirm_email_change``), so a typo cannot lock them out.
    pending_email = models.EmailField(_("nieuw e-mailadres, nog niet bevestigd"), blank=True)
    # The language of mails to this user ("" = the language of the page they used).
    language = models.CharField(
        _("voorkeurstaal"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    # Part of the session hash: rotating it logs the user out everywhere.
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_session_auth_hash(self) -> str:
        """Django's session hash, extended with ``security_stamp`` so that
        ``do_logout_everywhere`` invalidates every session of this user."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "socialebasis.accounts.User.get_session_auth_hash",
            f"{self.password}|{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_fallback_hash(self):
        """The same hash under each of ``SECRET_KEY_FALLBACKS`` (sessions survive a key
        rotation, and still end with "logout everywhere")."""
        from django.conf import settings
        from django.utils.crypto import salted_hmac

        for secret in settings.SECRET_KEY_FALLBACKS:
            yield salted_hmac(
                "socialebasis.accounts.User.get_session_auth_hash",
                f"{self.password}|{self.security_stamp}",
                secret=secret,
                algorithm="sha256",
            ).hexdigest()

    def roles(self) -> set[str]:
        """The roles this user holds in any municipality."""
        return set(self.memberships.values_list("role", flat=True))

    @property
    def is_professional(self) -> bool:
        """Holds a role that works with other people's data (``professional_roles()``)."""
        return bool(self.roles() & professional_roles()) or self.is_superuser


class Region(models.Model):
    """Municipalities that work together and may share records (a regional setting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    municipalities = models.ManyToManyField("areas.Municipality", related_name="regions")

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of professionals (e.g. a neighbourhood team) that covers districts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="teams"
    )
    districts = models.ManyToManyField("areas.District", related_name="teams", blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role a user holds in a municipality, optionally within a team.

    Access to personal records follows memberships (``access.py`` of each app): a record
    belongs to a municipality, and a user sees it only through a membership of that
    municipality, or of a region that includes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=30)  # a registered role (ROLES)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Regionale instelling: ook de andere gemeenten van deze regio"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when an approved grant creates the membership; the first opening of personal data
    # through it clears it and writes ``role_first_use`` (seen by the privacy officer).
    awaiting_first_use = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "team"],
                condition=models.Q(team__isnull=False),
                name="unique_team_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=models.Q(team__isnull=True),
                name="unique_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"

    def get_role_display(self):
        """The registered label of ``role`` (the name itself if no app declares it)."""
        return ROLES.label(self.role)

    def clean(self):
        """A team and a region must fit the membership's municipality."""
        from django.core.exceptions import ValidationError

        errors = {}
        if (
            self.team_id
            and self.municipality_id
            and self.team.municipality_id != self.municipality_id
        ):
            errors["team"] = _("Dit team hoort bij een andere gemeente.")
        if (
            self.region_id
            and self.municipality_id
            and not self.region.municipalities.filter(pk=self.municipality_id).exists()
        ):
            errors["region"] = _("Deze regio omvat de gemeente van dit lidmaatschap niet.")
        if errors:
            raise ValidationError(errors)

    def municipality_ids(self) -> set:
        """The municipalities this membership reaches: its own, plus its region's."""
        ids = {self.municipality_id}
        if self.region_id:
            ids |= set(self.region.municipalities.values_list("id", flat=True))
        return ids


class RoleGrant(models.Model):
    """A request to give ``user`` a role that opens personal data (``personal_data_roles``),
    in ``municipality`` (within ``team``, reaching ``region``): made by one administrator
    (``requested_by``), decided by another (``decided_by``). Only approval creates the
    membership (``accounts.actions.do_approve_role_grant``); nobody requests or approves a
    grant to themself. Decided requests stay as the record of who asked and who approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("gebruiker")
    )
    role = models.CharField(_("rol"), max_length=30)  # a registered role (ROLES)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roltoekenning")
        verbose_name_plural = _("roltoekenningen")
        ordering = ["-created_at"]
        constraints = [
            # One open request per role and scope: a second one waits for nothing.
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "team"],
                condition=models.Q(status="pending", team__isnull=False),
                name="unique_pending_team_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=models.Q(status="pending", team__isnull=True),
                name="unique_pending_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"

    def get_role_display(self):
        return ROLES.label(self.role)

    def as_membership(self) -> Membership:
        """The (unsaved) membership this grant asks for."""
        return Membership(
            user=self.user,
            role=self.role,
            municipality=self.municipality,
            team=self.team,
            region=self.region,
        )
