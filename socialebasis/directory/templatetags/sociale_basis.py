"""Template filters of the site: Utrecht form controls, Dutch number formats.

``{% load sociale_basis %}``, then ``{{ form.q|control }}``, ``{{ hit.distance_m|distance }}``,
``{{ area.residents|count }}``, ``{{ part|percentage:whole }}``,
``{% page_url_in_language "en" %}``.
"""

from django import forms, template
from django.forms.widgets import Input
from django.urls import translate_url

from socialebasis.lib.format import (
    format_count,
    format_distance,
    format_percentage,
    format_radius,
)

register = template.Library()

_CONTROL_CLASSES = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input", ""),
    (forms.Select, "utrecht-select utrecht-select--html-select", "utrecht-select--invalid"),
    (
        forms.Textarea,
        "utrecht-textarea utrecht-textarea--html-textarea",
        "utrecht-textarea--invalid",
    ),
    (Input, "utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid"),
]


@register.filter
def control(field: forms.BoundField, extra_classes: str = "") -> str:
    """Render a form field's widget with the Utrecht component classes (and the invalid
    modifier when it has errors). Django adds aria-invalid and aria-describedby
    (``<id>_helptext``, ``<id>_error``) itself. Forms rendered with it should set
    ``use_required_attribute = False``."""
    classes = ""
    for widget_type, base, invalid in _CONTROL_CLASSES:
        if isinstance(field.field.widget, widget_type):
            classes = base + (f" {invalid}" if field.errors and invalid else "")
            break
    attrs = {}
    classes = f"{classes} {extra_classes}".strip()
    if classes:
        attrs["class"] = classes
    if field.field.required and not field.is_hidden:
        # aria-required, not the HTML required attribute: browsers would mark the empty field
        # :invalid (red) before anything was submitted; our forms validate on the server.
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs or None)


@register.filter
def distance(metres) -> str:
    """Metres as "350 m" / "1,2 km" in the active language."""
    return format_distance(metres)


@register.filter
def radius(metres) -> str:
    """A search radius as "500 m" / "2 km"."""
    return format_radius(int(metres)) if metres is not None else ""


@register.filter
def count(value, decimal_pos=None) -> str:
    """A number with thousands grouping ("12.345"); "" for None."""
    return format_count(value, decimal_pos)


@register.filter
def percentage(part, whole) -> str:
    """``part`` as a percentage of ``whole`` ("15%")."""
    return format_percentage(part, whole)


@register.simple_tag(takes_context=True)
def page_url_in_language(context, language_code: str) -> str:
    """This page's path and query string in another language, for the language switch.

    Computed while the page's own language is active. Django's set_language view runs outside
    i18n_patterns, in the default language, where /en/... does not resolve: given the English
    URL as ``next`` it cannot translate it back and redirects to the English page again.
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)
