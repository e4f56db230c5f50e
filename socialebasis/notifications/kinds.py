"""The kinds of notification, registered by each app from its ``trust.py``.

A kind has a name, a label and a description (shown on the preferences page), whether the
e-mail is wanted by default, and whether it may speak about a resident (``about_resident``).
Its text lives in two templates, translated with gettext (Dutch first, English in the
catalogue), rendered with the notification's ``context``:

- ``notifications/kinds/<name>/subject.txt``: one line, the e-mail's subject and the
  heading in the in-app list;
- ``notifications/kinds/<name>/message.txt``: the in-app text, and the e-mail's body for a
  kind that is not about a resident.

A kind ``about_resident`` never puts its text in an e-mail: its mail says only that there is
a new message and to log in to read it (``notifications/mail/about_resident_*.txt``), so no
special-category data (AVG art. 9) travels by mail; such a kind can only go to an account.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from socialebasis.lib.registry import Vocabulary

KINDS = Vocabulary("notification kind", max_length=50)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    description: str | Promise
    about_resident: bool
    email_by_default: bool
    prepare: Callable[[dict], dict] | None = None

    def template_context(self, stored: dict) -> dict:
        """The templates' context: the stored values, plus what ``prepare`` derives from
        them in the active language (a label looked up when the text is shown, so an English
        reader gets the English label)."""
        return {**stored, **self.prepare(stored)} if self.prepare else dict(stored)

    @property
    def subject_template(self) -> str:
        return f"notifications/kinds/{self.name}/subject.txt"

    @property
    def message_template(self) -> str:
        return f"notifications/kinds/{self.name}/message.txt"


def register_kind(
    name: str,
    label: str | Promise,
    description: str | Promise,
    *,
    about_resident: bool,
    email_by_default: bool = True,
    prepare: Callable[[dict], dict] | None = None,
    app: str = "",
) -> str:
    """Declare notification kind ``name`` and return the name. ``prepare(context)`` may add
    values derived at render time (translated labels). ValueError for a malformed name or
    one already registered differently."""
    return KINDS.register(
        name,
        label,
        app=app,
        description=description,
        about_resident=about_resident,
        email_by_default=email_by_default,
        prepare=prepare,
    )


def get_kind(name: str) -> Kind:
    """The registered kind ``name``; KeyError for an unknown one."""
    entry = KINDS.get(name)
    return Kind(entry.name, entry.label, **entry.attrs)


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order."""
    return [get_kind(entry.name) for entry in KINDS]
