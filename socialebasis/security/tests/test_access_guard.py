"""The run-time access guard (socialebasis/lib/guard.py), tested with planted bypasses.

Each bypass is real code compiled under the file name of a module where it could hide
(a form, a template tag, a view, a service module), so the guard sees it exactly as it
would see that module. Every one must raise ``UnscopedQuery``; the same code under an
``access.py`` name, or inside ``unscoped()``, must run.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.template import Context, Template

from socialebasis.audit.models import AuditEvent
from socialebasis.directory.models import ErrorReport
from socialebasis.lib.guard import ROOT, UnscopedQuery, unscoped
from socialebasis.lib.protected import PROTECTED_MODELS
from socialebasis.residents.models import Consent, Resident
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

PLANTED = {
    "forms.py: list of every file": "list(Resident.objects.all())",
    "templatetags: a count": "Resident.objects.filter(given_name='Fatima').count()",
    "views.py: exists on consents": "Consent.objects.exists()",
    "views.py: reverse accessor of a municipality": "list(municipality.resident_files.all())",
    "services.py: one-to-one from the account": "user.resident",
    "utils.py: apps.get_model": "apps.get_model('residents', 'Resident').objects.first()",
    "signals.py: the default manager": "list(Resident._default_manager.all())",
    "views.py: values_list of e-mail addresses": "list(Resident.objects.values_list('email'))",
    "reports.py: aggregate over the audit log": "AuditEvent.objects.aggregate(n=Count('pk'))",
    "tasks.py: update of error reports": "ErrorReport.objects.update(reporter_email='')",
    "export.py: iterator": "list(Resident.objects.iterator())",
    "views.py: consents of a file": "list(resident.consents.all())",
}


@pytest.fixture
def world():
    user = get_user_model().objects.create_user("fatima@example.org", "x")
    return Resident.objects.create(
        municipality=f.MunicipalityFactory(), given_name="Fatima", user=user
    )


def run_as(filename: str, code: str, resident):
    """Run ``code`` as if it were written in ``socialebasis/planted/<filename>``."""
    from django.db.models import Count

    namespace = {
        "Resident": Resident,
        "Consent": Consent,
        "AuditEvent": AuditEvent,
        "ErrorReport": ErrorReport,
        "apps": apps,
        "Count": Count,
        "resident": resident,
        "municipality": resident.municipality,
        "user": type(resident.user).objects.get(pk=resident.user_id),
    }
    path = ROOT / "socialebasis" / "planted" / filename
    exec(compile(f"result = {code}", str(path), "exec"), namespace)  # noqa: S102
    return namespace["result"]


@pytest.mark.parametrize("name", PLANTED)
def test_every_planted_bypass_is_refused(world, name):
    module = name.split(":")[0].replace("templatetags", "templatetags/tags.py")
    with pytest.raises(UnscopedQuery, match="is protected"):
        run_as(module, PLANTED[name], world)


@pytest.mark.parametrize("name", PLANTED)
def test_the_same_code_runs_in_access_py_and_unscoped(world, name):
    run_as("access.py", PLANTED[name], world)
    with unscoped("a system job in this test"):
        run_as("jobs.py", PLANTED[name], world)


def test_a_queryset_made_in_access_py_may_be_refined_anywhere(world):
    scoped = run_as("access.py", "Resident.objects.all()", world)
    namespace = {"qs": scoped}
    path = ROOT / "socialebasis" / "planted" / "views.py"
    exec(compile("result = list(qs.filter(given_name='Fatima'))", str(path), "exec"), namespace)  # noqa: S102
    assert [r.pk for r in namespace["result"]] == [world.pk]


def test_a_template_following_a_relation_from_a_view_is_refused(world):
    template = Template("{% for c in resident.consents.all %}{{ c }}{% endfor %}")
    namespace = {"template": template, "Context": Context, "resident": world}
    path = ROOT / "socialebasis" / "planted" / "views.py"
    with pytest.raises(UnscopedQuery):
        exec(  # noqa: S102
            compile("result = template.render(Context({'resident': resident}))", str(path), "exec"),
            namespace,
        )


def test_unscoped_needs_a_reason():
    with pytest.raises(ValueError, match="reason"), unscoped(" "):
        pass


def test_every_protected_model_has_the_guarded_manager():
    for label in PROTECTED_MODELS:
        model = apps.get_model(label)
        assert type(model._default_manager).__name__ == "ProtectedManager", label
        assert type(model._base_manager).__name__ == "ProtectedManager", label
