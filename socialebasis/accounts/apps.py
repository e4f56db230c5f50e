from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "socialebasis.accounts"
    verbose_name = _("Accounts")
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [("account/", "socialebasis.accounts.urls")]

    def ready(self):
        from socialebasis.accounts import (  # noqa: F401
            actions,  # audit events
            signals,  # receivers
            tasks,  # mail tasks, the session clean-up job
        )
