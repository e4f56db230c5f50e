"""Forms of the residents' pages: a resident's consents, consent on a resident's behalf, the
erasure confirmation, and rectification (the resident's account details, a professional's
correction of the file). Errors are Dutch and name the field; input is kept."""

import re
import unicodedata
from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from socialebasis.privacy.constants import PURPOSES
from socialebasis.privacy.wording import current_wording
from socialebasis.residents.actions import CORRECTABLE_FIELDS, REASON_MAX_LENGTH, WordingChanged
from socialebasis.residents.models import Resident

EARLIEST_BIRTH = date(1900, 1, 1)
PHONE = re.compile(r"[0-9+()\- ]{3,30}")

REASON_HELP = _(
    "Waarom legt u dit namens de inwoner vast? Deze reden wordt bewaard in het auditlog: "
    "noem geen namen of gezondheidsgegevens."
)


class ConsentsForm(forms.Form):
    """One checkbox per purpose, labelled with the current wording; a hidden field per
    purpose carries the wording version the resident was shown."""

    use_required_attribute = False

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.states = states
        for state in states:
            self.fields[state.purpose] = forms.BooleanField(
                label=state.label, required=False, initial=state.given
            )
            self.fields[f"version_{state.purpose}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=state.wording.version
            )

    def clean(self):
        cleaned = super().clean()
        for state in self.states:
            shown = cleaned.get(f"version_{state.purpose}")
            if cleaned.get(state.purpose) and shown != current_wording(state.purpose).version:
                self.add_error(state.purpose, str(WordingChanged()))
        return cleaned

    def rows(self):
        """(state, checkbox, hidden version field) per purpose, for the template."""
        return [(s, self[s.purpose], self[f"version_{s.purpose}"]) for s in self.states]


class OnBehalfConsentForm(forms.Form):
    """A privacy officer records or withdraws a consent on a resident's behalf."""

    use_required_attribute = False

    GIVE, WITHDRAW = "give", "withdraw"
    purpose = forms.ChoiceField(label=_("Doel"), choices=PURPOSES.choices)
    change = forms.ChoiceField(
        label=_("Wat legt u vast?"),
        choices=[
            (GIVE, _("De inwoner geeft toestemming")),
            (WITHDRAW, _("De inwoner trekt toestemming in")),
        ],
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
        error_messages={"required": _("Geef een reden: u legt dit vast namens de inwoner.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef een reden: u legt dit vast namens de inwoner."))
        return reason


class EraseForm(forms.Form):
    """The resident confirms erasure (and, with a password account, types their password)."""

    use_required_attribute = False

    confirm = forms.BooleanField(
        label=_(
            "Ik begrijp dat al mijn gegevens worden gewist en dat dit niet ongedaan kan worden."
        ),
        error_messages={"required": _("Vink aan dat u begrijpt wat er gebeurt.")},
    )
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Ter bevestiging dat u het zelf bent."),
        error_messages={"required": _("Vul uw wachtwoord in.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password


class OfficerEraseForm(forms.Form):
    """A privacy officer erases a resident's data on their (verified) request."""

    use_required_attribute = False

    confirm = forms.BooleanField(
        label=_(
            "Ik heb de identiteit van de inwoner gecontroleerd en er is geen wettelijke plicht "
            "om deze gegevens te bewaren."
        ),
        error_messages={"required": _("Vink aan dat u dit heeft gecontroleerd.")},
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld het kenmerk van het verzoek. Deze reden wordt bewaard in het "
            "auditlog: noem geen namen of gezondheidsgegevens."
        ),
        error_messages={"required": _("Geef een reden, bijvoorbeeld het kenmerk van het verzoek.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Geef een reden, bijvoorbeeld het kenmerk van het verzoek.")
            )
        return reason


class AccountDetailsForm(forms.Form):
    """The resident corrects her account details (AVG art. 16). A new e-mail address asks
    for the password (whoever has her open session must not take over the account) and is
    used only after the link mailed to it is followed."""

    use_required_attribute = False

    full_name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_(
            "Een nieuw adres gaat pas in als u op de link klikt die wij ernaar sturen. Tot dan "
            "logt u in met uw huidige adres."
        ),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )
    language = forms.ChoiceField(
        label=_("Voorkeurstaal"),
        required=False,
        choices=[("", _("Geen voorkeur"))] + list(settings.LANGUAGES),
        help_text=_("De taal van de e-mails die wij u sturen."),
    )
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Alleen nodig als u uw e-mailadres wijzigt."),
    )

    def __init__(self, *args, user, **kwargs):
        initial = {"full_name": user.full_name, "email": user.email, "language": user.language}
        super().__init__(*args, initial=initial, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_full_name(self):
        name = self.cleaned_data.get("full_name") or ""
        # Line breaks, other control characters and invisible direction overrides would let
        # a name look like something else in lists and mails (Unicode categories Cc, Cf).
        if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
            raise forms.ValidationError(
                _("Gebruik in uw naam geen regeleinden of onzichtbare tekens."), code="invalid"
            )
        return name.strip()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        new_address = email and email != self.user.email and email != self.user.pending_email
        if new_address and "password" in self.fields:
            password = cleaned.get("password")
            if not password:
                self.add_error("password", _("Vul uw wachtwoord in om uw e-mailadres te wijzigen."))
            elif not self.user.check_password(password):
                self.add_error("password", _("Dit wachtwoord klopt niet."))
        return cleaned


class ResidentForm(forms.ModelForm):
    """A professional corrects a resident's file (AVG art. 16). Every field carries the
    value the professional saw (``show_hidden_initial``), so only the fields they changed
    are written: a colleague's correction of another field at the same time is kept."""

    use_required_attribute = False

    class Meta:
        model = Resident
        fields = list(CORRECTABLE_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "given_name": {"required": _("Vul de voornaam in.")},
            "email": {
                "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
            },
            "date_of_birth": {"invalid": _("Vul een geldige datum in, bijvoorbeeld 1980-05-17.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from socialebasis.areas.models import Neighbourhood

        neighbourhood = self.fields["neighbourhood"]
        neighbourhood.queryset = Neighbourhood.objects.filter(
            municipality_id=self.instance.municipality_id
        ).order_by("name")
        neighbourhood.label = _("Buurt")
        neighbourhood.empty_label = _("Onbekend")
        self.fields["date_of_birth"].help_text = _("Bijvoorbeeld 1980-05-17.")
        for name, field in self.fields.items():
            field.show_hidden_initial = True
            seen = self.add_initial_prefix(name)
            if self.is_bound and seen in self.data:
                self.initial[name] = self.data[seen]  # shown again: still what they first saw

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and not (EARLIEST_BIRTH <= born <= timezone.localdate()):
            raise forms.ValidationError(
                _("Vul een geboortedatum in tussen 1900 en vandaag."), code="out_of_range"
            )
        return born

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Gebruik alleen cijfers, spaties en + - ( ), bijvoorbeeld 020 123 4567."),
                code="invalid",
            )
        return phone

    def hidden_initials(self):
        """The hidden inputs with the values the professional saw (the Utrecht field
        component renders the visible control only)."""
        return format_html_join("", "{}", ((bf.as_hidden(only_initial=True),) for bf in self))

    def changes(self) -> dict:
        """The fields the professional changed, with their new values."""
        return {name: self.cleaned_data[name] for name in self.changed_data}
