#!/usr/bin/env python3
"""Fail when a module queries a protected model outside the places where access is decided.

Every module of the project except an app's ``access.py`` (scoped to the user, 404 when
denied, audited), ``actions.py``, ``queries.py`` and ``trust.py``, migrations and tests must
obtain personal data through those. The protected models and their reverse accessors are
the ones the apps register (``socialebasis/lib/protected.py``), read after Django's set-up.
This is the second line behind the run-time guard (``socialebasis/lib/guard.py``): it needs
no running code, so it also sees branches no test reaches.

Found (with Python's ``ast``, so comments and strings never count):

- ``Model.objects`` / ``Model._default_manager`` / ``Model._base_manager`` of a protected
  model, also through an alias (``from ...models import Resident as R``) or a module
  (``models.Resident.objects``);
- a reverse accessor of a protected model (``municipality.resident_files``,
  ``user.resident``, ``service.error_reports``);
- ``apps.get_model("residents", "Resident")`` / ``get_model("residents.Resident")``.

A line may opt out with a trailing ``# access-ok: <reason>`` (the reason is required).

Usage: ``python scripts/check_access.py [PATH ...]`` (default: the ``socialebasis``
package). Prints ``file:line: message`` per finding; exit status 1 when there are any.
"""

import ast
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialebasis.settings")
django.setup()  # the apps register their protected models in AppConfig.ready

from socialebasis.lib.guard import ALLOWED_MODULES  # noqa: E402
from socialebasis.lib.protected import (  # noqa: E402
    PROTECTED_MODELS,
    protected_accessors,
    protected_class_names,
)

MANAGERS = {"objects", "_default_manager", "_base_manager"}
OPT_OUT = "# access-ok:"


def is_checked_module(path: Path) -> bool:
    """Every module but access.py, actions.py, queries.py, trust.py, migrations and tests."""
    parts = path.parts
    if {"tests", "testing", "migrations"} & set(parts) or path.suffix != ".py":
        return False
    return path.name not in ALLOWED_MODULES and path.name != "conftest.py"


def _label_of(node: ast.Call) -> str | None:
    """The model label of ``get_model("app", "Model")`` / ``get_model("app.Model")``."""
    args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(args) == 2:
        return f"{args[0]}.{args[1]}"
    if len(args) == 1 and "." in args[0]:
        return args[0]
    return None


class Finder(ast.NodeVisitor):
    def __init__(self):
        self.names = protected_class_names()
        self.accessors = protected_accessors()
        self.labels = {label.lower() for label in PROTECTED_MODELS}
        self.aliases: dict[str, str] = {}  # local name -> protected class name
        self.findings: list[tuple[int, str]] = []

    def visit_ImportFrom(self, node):  # noqa: N802
        for alias in node.names:
            if alias.name in self.names:
                self.aliases[alias.asname or alias.name] = alias.name
        self.generic_visit(node)

    def _model_name(self, node) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id) or (node.id if node.id in self.names else None)
        if isinstance(node, ast.Attribute) and node.attr in self.names:
            return node.attr
        return None

    def visit_Attribute(self, node):  # noqa: N802
        if node.attr in MANAGERS:
            model = self._model_name(node.value)
            if model:
                self.findings.append(
                    (node.lineno, f"{model}.{node.attr}: use the app's access.py or queries.py")
                )
        elif node.attr in self.accessors and self._model_name(node.value) is None:
            self.findings.append(
                (
                    node.lineno,
                    f".{node.attr} reaches a protected model: use the app's access.py or "
                    "queries.py",
                )
            )
        self.generic_visit(node)

    def visit_Call(self, node):  # noqa: N802
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "get_model":
            label = _label_of(node)
            if label and label.lower() in self.labels:
                self.findings.append((node.lineno, f"get_model({label!r}): use access.py"))
        self.generic_visit(node)


def check_source(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """Findings (line, message) in one module's source, minus opted-out lines."""
    finder = Finder()
    finder.visit(ast.parse(source, filename))
    lines = source.splitlines()
    kept = []
    for line, message in sorted(set(finder.findings)):
        text = lines[line - 1] if line <= len(lines) else ""
        marker = text.find(OPT_OUT)
        if marker >= 0 and text[marker + len(OPT_OUT) :].strip():
            continue
        kept.append((line, message))
    return kept


def modules(paths: list[Path]):
    for path in paths:
        if path.is_file():
            yield path
        else:
            yield from (p for p in sorted(path.rglob("*.py")) if is_checked_module(p))


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or [ROOT / "socialebasis"]
    problems = []
    count = 0
    for path in modules(paths):
        count += 1
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for line, message in check_source(path.read_text(), str(path)):
            problems.append(f"{shown}:{line}: {message}")
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"check_access: {len(problems)} direct quer{'y' if len(problems) == 1 else 'ies'} "
            "of protected models outside access.py/actions.py/queries.py/trust.py "
            "(see socialebasis/lib/protected.py)",
            file=sys.stderr,
        )
        return 1
    print(f"check_access: {count} modules, no direct queries of protected models")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
