"""The protected models: personal data that views and API modules never query directly.

Views (``views.py``, ``views/*.py``) and API modules (``api/*.py``) obtain these only through
the owning app's ``access.py`` (``access_<thing>_for_user``: scoped to the user, 404 when
denied, audited) or its ``queries.py`` / ``actions.py``. ``scripts/check_access.py`` (run by
CI) fails on a direct query in such a module: ``Resident.objects``, a reverse accessor like
``municipality.resident_files``, or ``apps.get_model("residents", "Resident")``.

Each entry: ``"app_label.ModelName"`` -> the reverse accessors through which other models
reach it. ``socialebasis/security/tests/test_check_access.py`` checks this list against the
models: every model with a foreign key to a resident's file must be here, with all its
accessors, so a new personal model cannot slip past the check.

Model-free on purpose (plain strings): the check script reads it without Django.
"""

PROTECTED_MODELS: dict[str, tuple[str, ...]] = {
    # A resident's file (special-category data): residents.access.
    "residents.Resident": ("resident_files", "resident"),
    # What a resident consented to: privacy.access / privacy.queries.
    "privacy.Consent": ("consents",),
    # Who looked at what: privacy.access.audit_events_for_user; written only by audit.events.
    "audit.AuditEvent": (),
    # Error reports carry the reporter's name and e-mail address: admin and actions only.
    "directory.ErrorReport": ("error_reports",),
}


def protected_class_names() -> set[str]:
    return {label.split(".", 1)[1] for label in PROTECTED_MODELS}


def protected_accessors() -> set[str]:
    return {name for accessors in PROTECTED_MODELS.values() for name in accessors}
