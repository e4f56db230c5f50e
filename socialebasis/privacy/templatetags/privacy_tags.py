"""Template helpers of the data-subject export page."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template ("" when missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.simple_tag
def show_value(value) -> str:
    """A value as a resident reads it: dates in Dutch (Europe/Amsterdam), yes/no, a dash
    for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return str(value)
