"""Registers of the privacy app, filled by every app from its ``AppConfig.ready``.

- Data linked to a resident (``register_resident_data``): how to export it for the
  resident, and how to erase it. ``residents.export.build_export`` and
  ``residents.actions.do_erase_resident`` walk every registered section, so a new app's
  data is exported and erased without changing them.
- Subject types (``register_subject_type``): the label of each audited model
  ("residents.resident" -> "Inwonersdossier") for the privacy officer's audit filter.
- Account unlinkers (``register_account_unlinker``): before the retention job anonymises a
  deactivated account, each app unlinks its records from it (they keep their own clock).
- People of a municipality (``register_people_of_municipality``): user ids an app knows to
  belong to a set of municipalities (residents with an account), so the audit viewer scopes
  rows without a municipality (logins) to the privacy officer's own people.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise

from socialebasis.lib.registry import Vocabulary


@dataclass(frozen=True)
class ResidentDataSection:
    """``key`` names the section in the JSON export, ``label`` heads it on the HTML page;
    ``fields`` are (key, label) pairs of each exported row; ``export(resident)`` returns the
    rows; ``erase(resident)`` removes or anonymises them and returns how many it touched."""

    key: str
    label: str | Promise
    fields: list[tuple[str, str | Promise]]
    export: Callable[..., list[dict]]
    erase: Callable[..., int]


_SECTIONS: dict[str, ResidentDataSection] = {}


def register_resident_data(section: ResidentDataSection) -> None:
    _SECTIONS[section.key] = section


def resident_data_sections() -> list[ResidentDataSection]:
    return list(_SECTIONS.values())


# "app_label.model" (lower case, as audit rows store it) -> label.
SUBJECT_TYPES = Vocabulary("subject type", max_length=50)


def register_subject_type(label: str, name: str | Promise, *, app: str = "") -> str:
    """Declare that audit rows about model ``label`` ("app_label.model") are shown as
    ``name``. ValueError for a malformed or taken label."""
    return SUBJECT_TYPES.register(label.lower(), name, app=app)


_PEOPLE: list[Callable] = []


def register_people_of_municipality(user_ids_in: Callable) -> None:
    """``user_ids_in(municipality_ids)`` returns a ``values("user_id")`` queryset of the
    accounts an app links to those municipalities."""
    if user_ids_in not in _PEOPLE:
        _PEOPLE.append(user_ids_in)


def people_of_municipalities(municipality_ids) -> Iterator:
    """One user-id queryset per registered provider."""
    return (provider(municipality_ids) for provider in _PEOPLE)


_UNLINKERS: list[Callable] = []


def register_account_unlinker(unlink: Callable) -> None:
    """``unlink(user)`` detaches the app's records from ``user``'s account."""
    if unlink not in _UNLINKERS:
        _UNLINKERS.append(unlink)


def account_unlinkers() -> list[Callable]:
    return list(_UNLINKERS)
