"""The schema holds the layers too: no model of a base app (areas, accounts, audit, privacy)
points at a domain app (directory, residents, ...), and no migration of a base app depends on
one, except two from before the layers held. Those two stay until the migrations are
squashed and the old files deleted (a squashed migration inherits the dependencies of the
ones it replaces while they exist), at the first release, when no database needs them."""

from django.db.migrations.loader import MigrationLoader

BASE = {"areas", "accounts", "audit", "privacy"}
DOMAIN = {"directory", "residents", "exampleapp"}
HISTORICAL = {
    # accounts/0002 linked teams and memberships to directory.Organization; 0003 removed it.
    "accounts.0002_roles_teams_security_stamp -> directory.0007_service_area_districts",
    # privacy/0001 created Consent; residents/0002 took it over (privacy/0002).
    "privacy.0001_initial -> residents.0001_initial",
}


def test_base_migrations_depend_on_no_domain_app():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    wrong = [
        f"{app}.{name} -> {dep_app}.{dep_name}"
        for (app, name), node in graph.node_map.items()
        if app in BASE
        for dep_app, dep_name in (parent.key for parent in node.parents)
        if dep_app in DOMAIN
    ]
    assert set(wrong) == HISTORICAL


def test_no_base_model_points_at_a_domain_app():
    from django.apps import apps

    wrong = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_models()
        if model._meta.app_label in BASE
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.related_model._meta.app_label in DOMAIN
    ]
    assert wrong == []
