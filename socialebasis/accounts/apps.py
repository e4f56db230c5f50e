from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "socialebasis.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from socialebasis.accounts import signals  # noqa: F401  (connects receivers)
