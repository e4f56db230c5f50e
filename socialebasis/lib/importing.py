"""Shared plumbing of the data importers: errors that name their place, a tally of what an
import did per model, and an idempotent bulk "sync" of desired rows against existing ones.

An importer first reads and validates its whole source (raising ``ImportFailure`` with the
file, the line or feature and the reason), then writes with ``sync_rows``/``sync_children``
inside one transaction. Re-running it with the same source creates and updates nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BATCH = 500


class ImportFailure(Exception):
    """Bad input: ``str(error)`` is "<file>, <where>: <reason>", ready for the user."""

    def __init__(self, path: Path | str, where: str, reason: str):
        self.path = str(path)
        self.where = where
        self.reason = reason
        place = f"{self.path}, {where}" if where else self.path
        super().__init__(f"{place}: {reason}")


@dataclass
class Tally:
    """What an import did to one model."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class Report:
    """Per-model tallies plus free-form notes, in the order they were first touched."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())

    def note(self, text: str) -> None:
        self.notes.append(text)

    def credit(self, text: str) -> None:
        """An attribution line ("Bron: ...") the command prints; each one once."""
        if text not in self.credits:
            self.credits.append(text)

    def merge(self, other: Report) -> None:
        """Add the tallies, notes and credits of another report to this one."""
        for label, t in other.tallies.items():
            mine = self.tally(label)
            mine.created += t.created
            mine.updated += t.updated
            mine.unchanged += t.unchanged
            mine.deleted += t.deleted
        self.notes.extend(other.notes)
        for text in other.credits:
            self.credit(text)

    def write(self, stdout, title: str, *, credits: bool = True) -> None:
        """Print the tallies, the notes and (unless ``credits`` is False) the credits to a
        command's stdout."""
        stdout.write(title)
        for line in self.lines():
            stdout.write(line)
        for text in self.notes:
            stdout.write(f"  {text}")
        if credits and self.credits:
            stdout.write("  Credits:")
            for text in self.credits:
                stdout.write(f"    {text}")

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tallies.values())

    def lines(self) -> list[str]:
        width = max((len(label) for label in self.tallies), default=0)
        out = []
        for label, t in self.tallies.items():
            line = f"  {label:<{width}}  {t.created:>6} created, {t.updated:>6} updated, "
            line += f"{t.unchanged:>6} unchanged"
            if t.deleted:
                line += f", {t.deleted} deleted"
            out.append(line)
        return out


def read_json(path: Path) -> Any:
    """Parse a JSON/GeoJSON file. Raises ImportFailure naming the line and column of a syntax
    error, or the missing file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as exc:
        raise ImportFailure(path, "", "file not found") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            path, f"line {exc.lineno} column {exc.colno}", f"invalid JSON ({exc.msg})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailure(path, f"byte {exc.start}", "not UTF-8 text") from exc


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, float) and isinstance(current, float):
        return abs(current - wanted) > 1e-9
    return current != wanted


def sync_rows(
    model,
    existing: Mapping[Hashable, Any],
    desired: Mapping[Hashable, dict],
    tally: Tally,
    *,
    touch: str | None = None,
) -> dict[Hashable, Any]:
    """Make the rows of ``model`` match ``desired`` (key -> field values by attname).

    ``existing`` maps the same keys to instances already in the database. Missing rows are
    bulk-created, rows with different values bulk-updated (only the changed fields), equal
    rows left alone. ``touch`` names a timestamp field to set to now on updated rows (bulk
    updates skip ``auto_now``). Returns key -> instance for every desired key. Rows in
    ``existing`` but not in ``desired`` are not touched (see ``delete_rows``).
    """
    from django.utils import timezone

    result: dict[Hashable, Any] = {}
    to_create, to_update, fields = [], [], set()
    for key, values in desired.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
        else:
            diff = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
            if diff:
                for name in diff:
                    setattr(obj, name, values[name])
                fields.update(diff)
                to_update.append(obj)
            else:
                tally.unchanged += 1
        result[key] = obj
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
        tally.created += len(to_create)
    if to_update:
        if touch:
            now = timezone.now()
            for obj in to_update:
                setattr(obj, touch, now)
            fields.add(touch)
        model.objects.bulk_update(to_update, sorted(fields), batch_size=BATCH)
        tally.updated += len(to_update)
    return result


def delete_rows(model, ids: Iterable[Any], tally: Tally) -> None:
    """Delete the rows with these primary keys, counting them as deleted."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        model.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    tally.deleted += len(ids)


def sync_children(
    model,
    existing: Iterable[Any],
    desired: Mapping[Hashable, dict],
    key: Callable[[Any], Hashable],
    tally: Tally,
) -> None:
    """Make a set of dependent rows (no source id of their own) match ``desired``.

    ``existing`` is every row the importer owns (e.g. the phones of its services); ``key``
    gives the natural key of an instance, matching the keys of ``desired``. Rows with a key
    not desired are deleted; duplicates of a key are deleted too.
    """
    by_key: dict[Hashable, Any] = {}
    extra = []
    for obj in existing:
        k = key(obj)
        if k in desired and k not in by_key:
            by_key[k] = obj
        else:
            extra.append(obj.pk)
    sync_rows(model, by_key, desired, tally)
    if extra:
        delete_rows(model, extra, tally)


def chunked(items: list, size: int = BATCH) -> Iterable[list]:
    """``items`` in lists of at most ``size`` (for ``__in`` lookups on SQLite)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
