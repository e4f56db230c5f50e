"""The mail-choices form: one checkbox per registered kind of notification."""

from django import forms

from socialebasis.notifications.kinds import all_kinds


class EmailChoicesForm(forms.Form):
    """``initial`` maps kind -> wants e-mail; ``cleaned_data`` the same for every kind."""

    def __init__(self, *args, choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label,
                help_text=kind.description,
                required=False,
                initial=choices.get(kind.name, kind.email_by_default),
            )
