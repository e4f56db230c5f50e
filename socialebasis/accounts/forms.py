"""Forms of the login pages, in the site's accessible form pattern (Dutch labels,
server-side validation, ``use_required_attribute = False``)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from socialebasis.accounts.models import User


class _Plain:
    use_required_attribute = False


class LoginForm(_Plain, auth_forms.AuthenticationForm):
    """E-mail address and password; the field keeps Django's name ``username``."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op: het wachtwoord "
            "is hoofdlettergevoelig."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class CodeForm(_Plain, forms.Form):
    """One code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("De zes cijfers uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class ConfirmTOTPForm(_Plain, forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("Vul de zes cijfers in die de app nu laat zien."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordConfirmForm(_Plain, forms.Form):
    """Asks for the current password before a sensitive change."""

    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password


class PasswordResetForm(_Plain, auth_forms.PasswordResetForm):
    """Django's form, but the mail goes to the worker (``accounts.tasks``): ``send_mail``
    enqueues it for the user instead of sending it inside the request."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from socialebasis.accounts.tasks import send_account_email

        base_url = f"{context['protocol']}://{context['domain']}"
        send_account_email.enqueue(
            "password_reset", str(context["user"].pk), base_url, get_language() or ""
        )


class SetPasswordForm(_Plain, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_Plain, auth_forms.PasswordChangeForm):
    pass


class RegistrationForm(_Plain, forms.ModelForm):
    """A resident creates an account; it works after the e-mail address is confirmed."""

    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens; niet alleen cijfers en geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nogmaals"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "email"]
        labels = {"full_name": _("Naam"), "email": _("E-mailadres")}
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_email(self):
        # Uniqueness is not checked here: telling a stranger that an address has an account
        # would reveal who uses the platform. The view answers the same either way.
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        pass

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        if p1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
