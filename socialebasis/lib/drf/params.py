"""Query parameters of the APIs, strict so that the OpenAPI document can describe them
exactly: a boolean is ``true``/``1`` or ``false``/``0``, an empty value is the same as none,
and anything else is a 400 ``{name: [reason]}``."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import Filter
from rest_framework.exceptions import ValidationError

TRUE = {"true", "1"}
FALSE = {"false", "0"}


def bool_param(params, name: str, default: bool = False) -> bool:
    """A boolean query parameter: ``true``/``1`` or ``false``/``0``, ``default`` when
    absent or empty; anything else is a 400 ``{name: [reason]}``."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ValidationError({name: [_("Gebruik 1 of 0 (true of false).")]})


class StrictBooleanField(forms.Field):
    """``true``/``1`` -> True, ``false``/``0`` -> False, absent or empty -> None (no
    filter); anything else is invalid (django-filter's BooleanFilter ignores such values)."""

    default_error_messages = {"invalid": gettext_lazy("Gebruik 1 of 0 (true of false).")}

    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value):
        if value is None or value == "":
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(Filter):
    """A boolean filter parameter (``StrictBooleanField``); the filter method decides what
    True and False mean."""

    field_class = StrictBooleanField
