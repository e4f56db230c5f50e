"""The privacy officer's audit filter: subject (type and id), actor (e-mail search),
event and period. One FilterSet serves the page and the CSV export."""

import contextlib
import uuid

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socialebasis.audit.constants import EVENTS
from socialebasis.audit.models import AuditEvent
from socialebasis.privacy.queries import audited_subject_types
from socialebasis.privacy.registry import SUBJECT_TYPES


def subject_type_choices():
    known = dict(SUBJECT_TYPES.choices())
    for value in audited_subject_types():
        known.setdefault(value, value)
    return sorted(known.items(), key=lambda item: str(item[1]))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AuditEventFilter(django_filters.FilterSet):
    subject_type = django_filters.ChoiceFilter(
        label=_("Soort gegeven"), choices=subject_type_choices, empty_label=_("Alle soorten")
    )
    subject_id = django_filters.CharFilter(
        label=_("Id van het gegeven"), method="by_subject_id", max_length=64
    )
    actor = django_filters.CharFilter(
        label=_("Wie"),
        method="by_actor",
        help_text=_("E-mailadres (of een deel ervan)"),
        max_length=254,
    )
    event = django_filters.ChoiceFilter(
        label=_("Gebeurtenis"), choices=EVENTS.choices, empty_label=_("Alle gebeurtenissen")
    )
    since = django_filters.DateFilter(
        label=_("Van"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput
    )
    until = django_filters.DateFilter(
        label=_("Tot en met"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.use_required_attribute = False

    def by_subject_id(self, queryset, name, value):
        return queryset.filter(subject_id=value.strip())

    def by_actor(self, queryset, name, value):
        """An e-mail search resolved to user ids (a user id itself works too)."""
        value = value.strip()
        query = Q(email__icontains=value)
        with contextlib.suppress(ValueError):
            query |= Q(pk=uuid.UUID(value))
        ids = get_user_model().objects.filter(query).values("pk")
        return queryset.filter(actor_id__in=ids)
