from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "socialebasis.areas"
    verbose_name = _("Gebieden")
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [("gebieden/", "socialebasis.areas.urls")]
