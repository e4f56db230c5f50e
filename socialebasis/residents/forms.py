"""Forms of the residents' pages: a resident's consents, consent on a resident's behalf, and
the erasure confirmation. Errors are Dutch and name the field; input is kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socialebasis.privacy.constants import PURPOSES
from socialebasis.privacy.wording import current_wording
from socialebasis.residents.actions import REASON_MAX_LENGTH, WordingChanged

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
