"""``socialebasis seed-personas``: the persona world of the tests in this database, with
known passwords and TOTP secrets, to try the platform as each role (development only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socialebasis.testing.personas import (
    ALL_PERSONA_SPECS,
    EMAIL_DOMAIN,
    PERSONA_PASSWORD,
    build_personas,
    email_of,
    totp_secret_base32,
)


class Command(BaseCommand):
    help = (
        "Development only: create the test personas (resident, carer, volunteer, social "
        "workers, team lead, policy and privacy officer, administrator, another "
        "municipality, and the few extra personas some tests need) with a known password "
        "and TOTP secrets. Refused when SB_PRODUCTION=1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=PERSONA_PASSWORD,
            help=f"password of every persona (default: {PERSONA_PASSWORD})",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed-personas creates accounts with known passwords: refused with SB_PRODUCTION=1."
            )
        call_command("migrate", interactive=False, verbosity=0)
        users = get_user_model().objects
        if users.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            self.stdout.write("seed-personas: the personas exist already (nothing changed).")
        else:
            with transaction.atomic():
                build_personas(password_hash=make_password(options["password"]))
            self.stdout.write(
                f"seed-personas: created {len(ALL_PERSONA_SPECS)} personas "
                f"(password: {options['password']})."
            )
        self._table(users)

    def _table(self, users):
        self.stdout.write("")
        self.stdout.write(f"{'persona':<26} {'e-mail':<54} TOTP secret (base32)")
        for key, (label, _role, _where) in ALL_PERSONA_SPECS.items():
            user = users.filter(email=email_of(key)).first()
            if user is None:
                continue
            secret = totp_secret_base32(key) if _has_device(user) else "-"
            self.stdout.write(f"{key:<26} {user.email:<54} {secret}")
            self.stdout.write(f"{'':<26} {label}")
        self.stdout.write("")
        self.stdout.write(
            "Log in at /account/inloggen/. A code for a secret: oathtool --totp -b SECRET, or "
            "add the secret to an authenticator app (issuer Sociale Basis)."
        )


def _has_device(user) -> bool:
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return False
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
