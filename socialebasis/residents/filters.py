"""The professional's list of files (``/dossiers/``): search by name, narrow to one
neighbourhood. It filters the queryset ``residents.queries.resident_list_for_user`` already
scoped, so it can never widen what a user sees; the neighbourhood choices are only those of
the files in that scope."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socialebasis.areas.models import Neighbourhood


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Naam"), method="by_name", max_length=100, help_text=_("Voornaam of achternaam")
    )
    buurt = django_filters.ModelChoiceFilter(
        label=_("Buurt"),
        field_name="neighbourhood",
        to_field_name="code",
        queryset=Neighbourhood.objects.none(),
        empty_label=_("Alle buurten"),
        help_text=_("Alleen buurten van dossiers die u mag openen"),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        self.form.use_required_attribute = False
        self.filters["buurt"].queryset = Neighbourhood.objects.filter(
            pk__in=queryset.order_by().values("neighbourhood_id")
        ).order_by("name")
        self.form.fields["buurt"].queryset = self.filters["buurt"].queryset

    def by_name(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word)
            )
        return queryset
