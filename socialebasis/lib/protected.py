"""The protected models: personal data that is read only through its app's ``access.py``.

Each app registers its own from its ``AppConfig.ready`` (``register_protected``): the model
label and the reverse accessors through which other models reach it. Two guards read this
register:

- at run time, ``lib.guard.ProtectedQuerySet`` (every protected model's manager) refuses a
  query evaluated outside ``access.py``, ``actions.py``, ``queries.py``, migrations, tests
  or an explicit ``unscoped("reason")`` block;
- in CI, ``scripts/check_access.py`` fails on a direct query in any other module:
  ``Resident.objects``, a reverse accessor like ``municipality.resident_files``, or
  ``apps.get_model("residents", "Resident")``.

``socialebasis/security/tests/test_check_access.py`` checks this register against the
models: every model with a foreign key to a protected model must be protected too (or say
why not), with all its accessors, so a new personal model cannot slip past the checks.
"""

PROTECTED_MODELS: dict[str, tuple[str, ...]] = {}


def register_protected(label: str, *, accessors: tuple[str, ...] = ()) -> str:
    """Declare model ``label`` ("app_label.ModelName") protected, reached from other models
    through ``accessors`` (related names). Returns ``label``; registering it again with
    other accessors raises ValueError."""
    known = PROTECTED_MODELS.get(label)
    if known is not None and known != tuple(accessors):
        raise ValueError(f"{label} is already protected with accessors {known}")
    PROTECTED_MODELS[label] = tuple(accessors)
    return label


def is_protected(label: str) -> bool:
    return label.lower() in {name.lower() for name in PROTECTED_MODELS}


def protected_class_names() -> set[str]:
    return {label.split(".", 1)[1] for label in PROTECTED_MODELS}


def protected_accessors() -> set[str]:
    return {name for accessors in PROTECTED_MODELS.values() for name in accessors}
