"""docs/privacy.md shows the current permission matrix and retention policies."""

import importlib.util
from pathlib import Path

from socialebasis.testing import permission_matrix as pm
from socialebasis.testing.personas import ALL_VISITORS

ROOT = Path(__file__).resolve().parents[2]


def load_script():
    path = ROOT / "scripts" / "render_permission_matrix.py"
    spec = importlib.util.spec_from_file_location("render_permission_matrix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_privacy_md_is_current():
    script = load_script()
    assert script.rendered_doc() == script.DOC.read_text(), (
        "docs/privacy.md is out of date: run python scripts/render_permission_matrix.py"
    )


def test_every_entry_answers_for_every_visitor():
    for key, entry in [*pm.MATRIX.items(), *pm.PATTERNS.items()]:
        for answers in (entry.get, entry.post):
            if answers is not None:
                assert set(answers) == set(ALL_VISITORS), key
        assert entry.group in pm.GROUP_ORDER, key


def test_row_notation():
    answers = pm.row(404, residents=200, resident=302)
    assert answers["carer"] == 200 and answers["resident"] == 302
    assert answers["anonymous"] == 404
    assert pm.same_answer("302→admin:*_change", "302→admin:directory_service_change")
    assert not pm.same_answer("302→admin:*_change", 200)
