"""The register of data linked to a resident, for data-subject export and erasure.

Every app that stores personal data linked to a resident registers a section here (in its
``AppConfig.ready`` or in ``privacy.policies``): how to export it for the resident, and how
to erase it. ``privacy.export`` and ``privacy.actions.do_erase_resident`` walk every
registered section, so a new app's data is exported and erased without changing them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


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
