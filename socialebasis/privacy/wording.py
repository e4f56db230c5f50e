"""Consent purposes and the texts a resident agrees to, versioned per purpose.

An app that relies on a consent declares its purpose once, with every wording version, from
its ``AppConfig.ready`` (``register_purpose``); the purpose's name is stored in the consent
row, so a new purpose needs no migration of any app.

A consent is valid only for the wording version it was given on. Changing what a text
promises means adding a new ``Wording`` with the next version number (never editing an old
one): every consent given on an older version stops counting, and the resident is asked
again on their consent page. Fixing a typo that changes nothing may edit the text in place.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from socialebasis.privacy.constants import PURPOSES


@dataclass(frozen=True)
class Wording:
    """One version of the text shown for ``purpose`` (Dutch first, translatable)."""

    purpose: str
    version: int
    text: str | Promise


WORDINGS: dict[str, list[Wording]] = {}


def register_purpose(
    name: str, label: str | Promise, texts: dict[int, str | Promise], *, app: str = ""
) -> str:
    """Declare consent purpose ``name`` with its ``label`` and its wording ``texts`` by
    version number (1, 2, ...); returns ``name``. ValueError for a malformed name, a name
    taken with another label, no texts, or version numbers that are not 1..n."""
    if sorted(texts) != list(range(1, len(texts) + 1)):
        raise ValueError(f"purpose {name!r}: wording versions must be 1..n, got {sorted(texts)}")
    PURPOSES.register(name, label, app=app)
    WORDINGS[name] = [Wording(name, version, text) for version, text in sorted(texts.items())]
    return name


def purpose_label(purpose: str) -> str | Promise:
    return PURPOSES.label(purpose)


def current_wording(purpose: str) -> Wording:
    """The version a resident is asked to agree to now. KeyError for an unknown purpose."""
    return max(WORDINGS[purpose], key=lambda w: w.version)


def wording(purpose: str, version: int) -> Wording | None:
    """A given version of a purpose's text, or None when it does not exist."""
    return next((w for w in WORDINGS.get(purpose, []) if w.version == version), None)
