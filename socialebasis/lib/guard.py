"""The access guard: a protected model's queries run only where access is decided.

Every protected model (``lib.protected``) uses ``ProtectedManager`` as its manager (and base
manager, so related-object lookups are covered too). A queryset remembers where it was
made. It may be evaluated only when it was made

- in an app's ``access.py`` (scoped to a user), ``actions.py`` (writes, audited),
  ``queries.py`` (read-side selectors), ``trust.py`` (retention and export declarations)
  or ``models.py`` (a model's property that follows its own relation);
- in a migration, a test module or a module of the ``testing`` package (persona world,
  factories; not its example app);
- by Django itself with no module of ours on the way (the admin, cascading deletes);
- inside ``with unscoped("reason"):`` (system jobs such as verifying the audit chain);

and it keeps that permission through ``filter()``, ``order_by()`` and the other chained
calls. Anywhere else (a form, a template tag, a view, a template that follows
``resident.consents``) evaluating it raises ``UnscopedQuery``, which names the module that
made it. This is NetBox's ``restrict(user)`` idea turned around: code that did not go through
``access.py`` cannot read personal data by accident. ``scripts/check_access.py`` is the
second line, in CI, without running anything.

Cost: one walk up the call stack per queryset made (a few microseconds), none per row.
"""

import contextlib
import contextvars
import sys
from pathlib import Path

from django.db import models

ALLOWED_MODULES = frozenset({"access.py", "actions.py", "queries.py", "trust.py"})
# A model's own properties may follow its relations (a consent's file); the static check
# (scripts/check_access.py) still reads models.py and wants an "access-ok" reason there.
GUARD_ALLOWED_MODULES = ALLOWED_MODULES | {"models.py"}
PROJECT = Path(__file__).resolve().parent.parent  # the socialebasis package
ROOT = PROJECT.parent
# Modules that only pass a request along (and middleware.py anywhere): look past them for
# the code that asked.
TRANSPARENT = (str(Path(__file__).resolve()), str(PROJECT / "lib"))

_unscoped: contextvars.ContextVar[str] = contextvars.ContextVar("sb_unscoped", default="")


class UnscopedQuery(RuntimeError):
    """A protected model was queried outside access.py/actions.py/queries.py/trust.py."""


@contextlib.contextmanager
def unscoped(reason: str):
    """Allow protected queries made inside this block; ``reason`` says why (required)."""
    if not reason.strip():
        raise ValueError("unscoped() needs a reason")
    token = _unscoped.set(reason)
    try:
        yield
    finally:
        _unscoped.reset(token)


def _ours(filename: str) -> bool:
    return filename.startswith(str(ROOT)) and "site-packages" not in filename


def _allowed(filename: str) -> bool:
    path = Path(filename)
    parts = set(path.parts)
    return (
        path.name in GUARD_ALLOWED_MODULES
        or "migrations" in parts
        or "tests" in parts
        or path.parent.name == "testing"  # the persona world and factories
        or path.name == "conftest.py"
    )


def _maker() -> tuple[bool, str]:
    """(allowed, module) of the code that is making a queryset now."""
    if _unscoped.get():
        return True, ""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        transparent = filename.startswith(TRANSPARENT) or filename.endswith("middleware.py")
        if _ours(filename) and not transparent:
            return _allowed(filename), filename
        frame = frame.f_back
    return True, ""  # Django itself (admin, deletion collector) with none of ours on the way


class ProtectedQuerySet(models.QuerySet):
    """A queryset that refuses to run unless it was made where access is decided."""

    _sb_allowed = True
    _sb_maker = ""

    def _clone(self):
        clone = super()._clone()
        clone._sb_allowed, clone._sb_maker = self._sb_allowed, self._sb_maker
        return clone

    def _check(self) -> None:
        if not self._sb_allowed:
            label = self.model._meta.label
            maker = Path(self._sb_maker).relative_to(ROOT) if self._sb_maker else "?"
            raise UnscopedQuery(
                f"{label} is protected: query it through its app's access.py or queries.py "
                f"(made in {maker})"
            )

    def _fetch_all(self):
        self._check()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._check()
        return super().count()

    def exists(self):
        self._check()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check()
        return super().update(**kwargs)

    def delete(self):
        self._check()
        return super().delete()

    def explain(self, **options):
        self._check()
        return super().explain(**options)


class ProtectedManager(models.Manager.from_queryset(ProtectedQuerySet)):
    """The manager of a protected model: marks each queryset with where it was made."""

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset._sb_allowed, queryset._sb_maker = _maker()
        return queryset
