"""Purposes a resident consents to, one by one (see ``privacy.wording`` for the texts)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    SHARE_REQUEST_WITH_VOLUNTEERS = (
        "share_request_with_volunteers",
        _("Mijn hulpvraag delen met vrijwilligers"),
    )
    WORKER_SEES_NETWORK = "worker_sees_network", _("Mijn sociaal werker mag mijn netwerk zien")
    COUNT_IN_NEIGHBOURHOOD_FIGURES = (
        "count_in_neighbourhood_figures",
        _("Mijn gegevens tellen mee in anonieme buurtcijfers"),
    )


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("verwijderen")
    ANONYMISE = "anonymise", _("anonimiseren")
    WITH_RESIDENT = "with_resident", _("verdwijnt met het inwonersdossier")
    KEEP = "keep", _("bewaren")
