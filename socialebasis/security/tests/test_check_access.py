"""scripts/check_access.py: views and API modules never query protected models directly;
and the list of protected models (socialebasis/lib/protected.py) is complete."""

import importlib.util
import subprocess
import sys
from pathlib import Path

from django.apps import apps

from socialebasis.lib.protected import PROTECTED_MODELS

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "check_access.py"
FIXTURE = Path(__file__).parent / "fixtures" / "views_with_violations.py"


def load_script():
    spec = importlib.util.spec_from_file_location("check_access", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_finds_every_kind_of_direct_query():
    check = load_script()
    findings = check.check_source(FIXTURE.read_text(), str(FIXTURE))
    assert [line for line, _ in findings] == [14, 19, 20, 21, 22, 23, 24, 35]
    messages = dict(findings)
    assert messages[14].startswith("Resident.objects")
    assert messages[19].startswith(".resident_files")
    assert messages[20].startswith("AuditEvent.objects")
    assert messages[23] == "get_model('residents.Resident'): use access.py"
    # line 35: "# access-ok:" without a reason does not count as an opt-out


def test_exit_status_and_file_line_output(tmp_path):
    app = tmp_path / "someapp"
    (app / "api").mkdir(parents=True)
    (app / "views.py").write_text(FIXTURE.read_text())
    (app / "api" / "views.py").write_text("from x.models import Consent\nConsent.objects.all()\n")
    (app / "queries.py").write_text("from x.models import Consent\nConsent.objects.all()\n")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        f"{app / 'views.py'}:14: Resident.objects: use the app's access.py or queries.py" in lines
    )
    assert any(line.startswith(f"{app / 'api' / 'views.py'}:2: Consent.objects") for line in lines)
    assert not any("queries.py" in line.split(":")[0] for line in lines)  # not a view module


def test_the_project_passes():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_which_modules_are_checked():
    check = load_script()
    assert check.is_checked_module(Path("socialebasis/residents/views.py"))
    assert check.is_checked_module(Path("socialebasis/privacy/views/audit.py"))
    assert check.is_checked_module(Path("socialebasis/directory/api/views.py"))
    assert check.is_checked_module(Path("socialebasis/api/hsds.py"))
    assert not check.is_checked_module(Path("socialebasis/residents/access.py"))
    assert not check.is_checked_module(Path("socialebasis/residents/tests/test_views.py"))


def test_every_model_linked_to_a_resident_file_is_protected():
    resident = apps.get_model("residents", "Resident")
    missing = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            linked = field.is_relation and field.concrete and field.related_model is resident
            if linked and model._meta.label not in PROTECTED_MODELS:
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing, (
        "Personal data linked to a resident's file: add these models to "
        f"socialebasis/lib/protected.py: {missing}"
    )


def test_protected_models_exist_with_exactly_these_accessors():
    for label, accessors in PROTECTED_MODELS.items():
        app_label, name = label.split(".")
        if not apps.is_installed(f"socialebasis.{app_label}"):
            continue
        model = apps.get_model(app_label, name)
        # The accessors other models get from this model's foreign keys
        # (Resident.municipality -> municipality.resident_files).
        actual = {
            field.remote_field.get_accessor_name()
            for field in model._meta.get_fields()
            if field.is_relation and field.concrete and not field.remote_field.hidden
        }
        assert set(accessors) == actual, f"{label}: accessors {sorted(actual)}"


def test_the_static_check_finds_every_planted_bypass_too():
    """The same planted bypasses the run-time guard refuses (test_access_guard.PLANTED), each
    written into the kind of module it names: the static check reports every one, in any
    module but access.py, actions.py, queries.py and trust.py."""
    from socialebasis.security.tests.test_access_guard import PLANTED

    check = load_script()
    imports = (
        "from django.apps import apps\n"
        "from socialebasis.residents.models import Consent, Resident\n"
        "from socialebasis.audit.models import AuditEvent\n"
        "from socialebasis.directory.models import ErrorReport\n"
    )
    for name, code in PLANTED.items():
        module = Path("socialebasis/planted") / name.split(":")[0].replace(
            "templatetags", "templatetags/tags.py"
        )
        assert check.is_checked_module(module), name
        findings = check.check_source(f"{imports}result = {code}\n", str(module))
        assert findings, f"not found: {name}"
    assert not check.is_checked_module(Path("socialebasis/planted/access.py"))
