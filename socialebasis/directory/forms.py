"""Forms of the directory. ``SearchForm`` validates search input for the page, the API and
the CLI alike, so all three give the same errors (Dutch, per field)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from socialebasis.directory.constants import THEME_TAXONOMY, OrganizationKind
from socialebasis.directory.models import ErrorReport, TaxonomyTerm
from socialebasis.directory.search import RADIUS_DEFAULT, SearchParams, clamp_radius

_AREA = re.compile(r"^(BU\d{4}[0-9A-Z]{4}|WK\d{4}[0-9A-Z]{2}|GM\d{4})$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


_TRUE = frozenset({"true", "1", "on", "yes", "ja"})
_FALSE = frozenset({"false", "0", "off", "no", "nee", ""})


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)


class _FlagInput(forms.CheckboxInput):
    """A checkbox whose submitted text is left to ``FlagField`` (Django's checkbox reads any
    text but "false" as on, so ``free=0`` filtered)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_true)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.BooleanField):
    """An on/off filter: "true", "1", "on", "yes" or "ja" is on; "false", "0", "off", "no",
    "nee", empty or absent is off (any case); anything else is an error."""

    widget = _FlagInput

    def to_python(self, value) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise forms.ValidationError(_("Gebruik true of false."), code="invalid")


class ThemeChoiceField(forms.ModelChoiceField):
    """A theme of the sb-thema taxonomy by code; sub-themes are indented in the list."""

    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return ("\u2003" if obj.parent_id else "") + obj.name


class SearchForm(forms.Form):
    """What, where and filters. Radius in metres, clamped to 100..50,000 (not an error);
    anything that is not a whole number is an error."""

    q = forms.CharField(label=_("Wat zoekt u?"), max_length=200, required=False)
    near = forms.CharField(
        label=_("Waar?"),
        max_length=200,
        required=False,
        help_text=_("Postcode, buurt, wijk of adres"),
    )
    lat = forms.FloatField(
        label=_("Breedtegraad"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    lon = forms.FloatField(
        label=_("Lengtegraad"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    radius = forms.IntegerField(label=_("Afstand (meter)"), required=False, initial=RADIUS_DEFAULT)
    sort = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("", _("Automatisch")),
            ("relevance", _("Relevantie")),
            ("distance", _("Afstand")),
            ("name", _("Naam")),
        ],
    )
    theme = ThemeChoiceField(
        label=_("Thema"),
        required=False,
        to_field_name="code",
        queryset=TaxonomyTerm.objects.none(),
        empty_label=_("Alle thema's"),
    )
    kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        required=False,
        choices=[("", _("Alle soorten")), *OrganizationKind.choices],
    )
    area = forms.CharField(label=_("Gebied (CBS-code)"), required=False, max_length=10)
    age = forms.IntegerField(label=_("Leeftijd"), required=False, min_value=0, max_value=120)
    free = FlagField(label=_("Gratis"), required=False)
    wheelchair = FlagField(label=_("Rolstoeltoegankelijk"), required=False)
    language = forms.CharField(label=_("Taal (bijv. nl, en, ar)"), required=False, max_length=3)
    open_now = FlagField(label=_("Nu open"), required=False)
    page = forms.IntegerField(label=_("Pagina"), required=False, min_value=1, max_value=1000)
    page_size = forms.IntegerField(
        label=_("Per pagina"), required=False, min_value=1, max_value=100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = TaxonomyTerm.objects.filter(
            taxonomy__code=THEME_TAXONOMY
        ).order_by("path")
        self.fields["theme"].error_messages["invalid_choice"] = _("Onbekend thema.")
        self.fields["radius"].error_messages["invalid"] = _(
            "Afstand moet een geheel aantal meters zijn."
        )

    def clean_area(self) -> str:
        area = self.cleaned_data["area"].strip().upper()
        if area and not _AREA.match(area):
            raise forms.ValidationError(_("Gebruik een CBS-code: BU…, WK… of GM…."))
        if area and not _area_exists(area):
            raise forms.ValidationError(
                _("Gebiedscode %(code)s is niet bekend.") % {"code": area}, code="unknown"
            )
        return area

    def clean_language(self) -> str:
        language = self.cleaned_data["language"].strip().lower()
        if language and not _LANGUAGE.match(language):
            raise forms.ValidationError(_("Gebruik een taalcode van 2 letters, bijv. nl."))
        return language

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None) and not self.errors:
            missing = "lat" if data.get("lat") is None else "lon"
            self.add_error(missing, _("Geef zowel lat als lon op."))
        has_what = data.get("q", "").strip() or data.get("theme") or data.get("area")
        has_where = data.get("near", "").strip() or data.get("lat") is not None
        if not (has_what or has_where) and not self.errors:
            self.add_error("q", _("Vul in wat u zoekt, of waar."))
        return data

    def to_params(self) -> SearchParams:
        """SearchParams from a valid form."""
        data = self.cleaned_data
        return SearchParams(
            q=data.get("q") or "",
            near=data.get("near") or "",
            lat=data.get("lat"),
            lon=data.get("lon"),
            radius=clamp_radius(
                data["radius"] if data.get("radius") is not None else RADIUS_DEFAULT
            ),
            sort=data.get("sort") or "",
            theme=data["theme"].code if data.get("theme") else "",
            kind=data.get("kind") or "",
            area=data.get("area") or "",
            age=data.get("age"),
            free=bool(data.get("free")),
            wheelchair=bool(data.get("wheelchair")),
            language=data.get("language") or "",
            open_now=bool(data.get("open_now")),
            page=data.get("page") or 1,
            page_size=data.get("page_size") or 20,
        )


def _area_exists(code: str) -> bool:
    from socialebasis.areas.models import District, Municipality, Neighbourhood

    model = {"BU": Neighbourhood, "WK": District, "GM": Municipality}[code[:2]]
    return model.objects.filter(code=code).exists()


class ErrorReportForm(forms.ModelForm):
    """A resident's report that an entry is wrong."""

    class Meta:
        model = ErrorReport
        fields = ["reporter_name", "reporter_email", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 5000})}
