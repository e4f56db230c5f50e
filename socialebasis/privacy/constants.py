"""The privacy app's vocabularies: consent purposes (registered by the apps that rely on
them, with their wordings in ``privacy.wording``), retention actions, and the small-cell
threshold of every aggregate shown to policy officers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.registry import Vocabulary

# Names are stored in the consent's ``purpose`` column (max_length 40).
PURPOSES = Vocabulary("consent purpose", max_length=40)

# An aggregate cell (a count of people) below this is suppressed: shown as "fewer than 10",
# never as its number, so a figure never points at a person. The Dutch CBS rule for
# neighbourhood statistics on persons uses the same order of magnitude (CBS, "Statline
# geheimhouding": cells under 10 are suppressed or rounded).
SMALL_CELL_THRESHOLD = 10


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("verwijderen")
    ANONYMISE = "anonymise", _("anonimiseren")
    WITH_RESIDENT = "with_resident", _("verdwijnt met het inwonersdossier")
    KEEP = "keep", _("bewaren")
