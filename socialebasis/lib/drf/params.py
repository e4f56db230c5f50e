"""Small helpers for query parameters of the APIs."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def bool_param(params, name: str, default: bool = False) -> bool:
    """A boolean query parameter (1/true/yes/on or 0/false/no/off); anything else is a 400
    ``{name: [reason]}``."""
    raw = params.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError({name: [_("Gebruik 1 of 0 (true of false).")]})
