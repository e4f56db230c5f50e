"""The base apps' entries in the register of personal data: retention, subject types.

This module declares the base apps' own: accounts (users, roles, logins) and the audit
log. Every other app declares its own in its ``trust.py`` (residents: files and consents;
directory: error reports). The whole register is rendered into docs/privacy.md by
scripts/render_permission_matrix.py.

Accounts that hold a professional role are not touched by retention: their names must stay
resolvable in the audit log ("who looked at my file") for as long as the organisation is
accountable; the organisation deactivates them when someone leaves.
"""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from socialebasis.accounts.constants import professional_roles
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import account_unlinkers, register_subject_type
from socialebasis.privacy.retention import RetentionPolicy, register

DEACTIVATED_ACCOUNT_MONTHS = 6
FINISHED_TASK_MONTHS = 1


# ---------------------------------------------------------------- retention


def _due_accounts(cutoff):
    from socialebasis.accounts.models import User
    from socialebasis.privacy.actions import ANONYMISED_EMAIL_DOMAIN

    return (
        User.objects.filter(is_active=False, is_staff=False, is_superuser=False)
        .exclude(email__endswith="@" + ANONYMISED_EMAIL_DOMAIN)
        .exclude(memberships__role__in=professional_roles())
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )


def _anonymise_account(user):
    from socialebasis.privacy.actions import do_anonymise_user

    # Records linked to the account stay (each has its own clock), but are unlinked.
    for unlink in account_unlinkers():
        unlink(user)
    do_anonymise_user(user)
    return []


register(
    RetentionPolicy(
        model="accounts.User",
        months=DEACTIVATED_ACCOUNT_MONTHS,
        action=RetentionAction.ANONYMISE,
        basis=_("laatste login (of aanmaak)"),
        due=_due_accounts,
        apply=_anonymise_account,
        note=_(
            "Alleen gedeactiveerde accounts zonder professionele rol. Accounts van "
            "professionals blijven, zodat het auditlog kan blijven zeggen wie een dossier "
            "bekeek."
        ),
    )
)
register(
    RetentionPolicy(
        model="audit.AuditEvent",
        months=None,
        action=RetentionAction.KEEP,
        basis=_("nooit gewijzigd of verwijderd"),
        note=_("Bevat alleen ids, gebeurtenissen en veldnamen, geen persoonlijke inhoud."),
    )
)


def _due_finished_tasks(cutoff):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(finished_at__lt=cutoff)


register(
    RetentionPolicy(
        model="django_tasks_database.DBTaskResult",
        months=FINISHED_TASK_MONTHS,
        action=RetentionAction.DELETE,
        basis=_("afgerond op"),
        due=_due_finished_tasks,
        note=_(
            "Achtergrondtaken (e-mail, geplande taken): de taak en ids (van een gebruiker of "
            "een melding), geen adres, link of inhoud. Taken die nog wachten blijven."
        ),
    )
)

LOGIN_RECORD_MONTHS = 1


def _login_records_due(model_label: str):
    def due(cutoff):
        from django.apps import apps

        return apps.get_model(model_label).objects.filter(attempt_time__lt=cutoff)

    return due


# django-axes' records of failed logins (keyed hash of the typed address, IP address,
# browser). Axes itself removes an attempt once its cool-off has passed, but only when a
# next login happens; this is the backstop. The failure and access logs are switched off in
# settings; should someone switch them on, they go the same way.
for _model, _name in [
    ("axes.AccessAttempt", _("Inlogpoging (blokkering)")),
    ("axes.AccessFailureLog", _("Mislukte inlogpoging (log)")),
    ("axes.AccessLog", _("Inlogpoging (log)")),
]:
    register(
        RetentionPolicy(
            model=_model,
            months=LOGIN_RECORD_MONTHS,
            action=RetentionAction.DELETE,
            basis=_("tijdstip van de poging"),
            due=_login_records_due(_model),
            note=_(
                "Sleutel-hash van het getypte e-mailadres, IP-adres en browser. django-axes "
                "ruimt een poging zelf op na de afkoelperiode, bij de volgende inlogpoging."
            ),
        )
    )
    register_subject_type(_model.lower(), _name, app="accounts")

register_subject_type("accounts.user", _("Account"), app="accounts")
register_subject_type("accounts.membership", _("Rol"), app="accounts")
register_subject_type("accounts.login", _("Inlogpoging"), app="accounts")
