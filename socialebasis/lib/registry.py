"""Vocabularies that apps extend at start-up (NetBox's ``register_*`` habit).

A base app (audit, privacy, accounts) owns a ``Vocabulary`` (audit events, consent purposes,
roles, subject types); each domain app registers its own entries from its ``AppConfig.ready``
with the base app's ``register_*`` function. The database stores only the entry's name (a
plain ``CharField`` without ``choices=``), so adding an entry never needs a migration of the
base app. Forms and filters take ``vocabulary.choices`` (a callable, evaluated per request).

Registering a name twice with the same label is a no-op (``ready()`` may run twice in tests);
with another label it raises ``ValueError``, as does a name that is not a lower-case
identifier or longer than ``max_length``.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

NAME = re.compile(r"^[a-z][a-z0-9_.]*$")


@dataclass(frozen=True)
class Entry:
    """One registered name: ``label`` (translatable) and free ``attrs`` (e.g. a role's
    ``professional`` flag), declared by ``app`` (the registering app's label)."""

    name: str
    label: str | Promise
    app: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.label)


class Vocabulary:
    """A named set of entries. ``max_length`` is the column size that stores the names."""

    def __init__(self, what: str, *, max_length: int):
        self.what = what
        self.max_length = max_length
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, label: str | Promise, *, app: str = "", **attrs) -> str:
        """Add ``name`` and return it (so a module can write ``LOGIN = register(...)``).

        Raises ValueError for a malformed or too long name, or one already registered with
        another label or attributes.
        """
        if not NAME.match(name) or len(name) > self.max_length:
            raise ValueError(
                f"{self.what} {name!r}: use a lower-case identifier of at most "
                f"{self.max_length} characters"
            )
        entry = Entry(name, label, app, attrs)
        known = self._entries.get(name)
        if known is not None and (str(known.label), known.attrs) != (str(label), attrs):
            raise ValueError(f"{self.what} {name!r} is already registered by {known.app!r}")
        self._entries.setdefault(name, entry)
        return name

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, name: str) -> Entry:
        """The entry of ``name``; KeyError when nobody registered it."""
        return self._entries[name]

    def label(self, name: str) -> str | Promise:
        """The label of ``name``, or ``name`` itself when unknown (an old row whose app was
        removed still shows something true)."""
        entry = self._entries.get(name)
        return entry.label if entry else name

    def choices(self) -> list[tuple[str, str | Promise]]:
        """(name, label) pairs in registration order, for forms and filters."""
        return [(e.name, e.label) for e in self._entries.values()]

    def names(self, **attrs) -> frozenset[str]:
        """Names whose attributes include ``attrs`` (e.g. ``professional=True``)."""
        return frozenset(
            e.name
            for e in self._entries.values()
            if all(e.attrs.get(k) == v for k, v in attrs.items())
        )

    def unregister(self, name: str) -> None:
        """Remove ``name`` (tests that register a temporary entry clean up with this)."""
        self._entries.pop(name, None)
