"""Templates and code that render HTML: no inline script, no event-handler attributes, no
inline style (the Content-Security-Policy would block them), and nothing rendered unescaped
without a reason written down here."""

import ast
import re
from pathlib import Path

import pytest

from socialebasis.testing.html import inline_code

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "socialebasis").glob("*/templates"))]
# Plain-text e-mails are not HTML pages.
NOT_HTML = {"email"}

# Every place that marks HTML as safe, and why it is safe. A new one fails the test below
# until it is reviewed and added here.
UNESCAPED_ALLOWED = {
    "socialebasis/accounts/twofactor.py": (
        "the QR code for two-factor setup: an SVG that segno generates from the otpauth URI "
        "(all text inside is encoded as modules of the code, none is copied into markup)"
    ),
}
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off\s*%\}|\|\s*safeseq\b")
UNSAFE_CALLS = {"mark_safe", "SafeString", "SafeText"}


def templates():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            if NOT_HTML.isdisjoint(path.relative_to(directory).parts):
                yield path


TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def test_the_finder_finds_what_it_should():
    html = """<p onclick="x()">a</p>
<a href="javascript:alert(1)">b</a>
<div style="color:red"></div>
<script>alert(1)</script>
<script src="/static/x.js"></script>
<script type="application/json" id="d">{"a": 1}</script>
<style>p { color: red }</style>"""
    assert [line for line, _ in inline_code(html)] == [1, 2, 3, 4, 7]


def test_templates_have_no_inline_script_handlers_or_styles():
    problems = []
    count = 0
    for path in templates():
        count += 1
        source = TEMPLATE_SYNTAX.sub(
            lambda m: "x" + "\n" * m.group(0).count("\n"), path.read_text()
        )
        problems += [
            f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in inline_code(source)
        ]
    assert count >= 15
    assert not problems, "Move these into static files (CSP forbids them):\n" + "\n".join(problems)


def test_no_template_turns_escaping_off():
    problems = []
    for path in templates():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if UNSAFE_TEMPLATE.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not problems, "Unescaped output in templates:\n" + "\n".join(problems)


def python_files():
    for path in sorted((ROOT / "socialebasis").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or "testing" in parts:
            continue
        yield path


def called_names(tree) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            found.append((node.lineno, name))
    return found


def test_code_marks_html_safe_only_where_reviewed():
    seen = set()
    problems = []
    for path in python_files():
        relative = str(path.relative_to(ROOT))
        for line, name in called_names(ast.parse(path.read_text(), relative)):
            if name in UNSAFE_CALLS:
                if relative in UNESCAPED_ALLOWED:
                    seen.add(relative)
                else:
                    problems.append(f"{relative}:{line}: {name}()")
    assert not problems, (
        "HTML marked safe without review (escape it, or justify it in UNESCAPED_ALLOWED):\n"
        + "\n".join(problems)
    )
    stale = {path for path in UNESCAPED_ALLOWED if (ROOT / path).exists()} - seen
    assert not stale, f"UNESCAPED_ALLOWED lists files that no longer need it: {stale}"


# Reviewed exemptions, with why each is safe.
CSRF_EXEMPT_ALLOWED = {
    # The HSDS API's view wrapper answers only GET and HEAD (read-only public data); every
    # other method gets a JSON 405 before the view runs (api/tests: other methods 405), so
    # there is no state-changing request to forge. Exempt so that a POST gets that JSON 405
    # instead of the CSRF middleware's HTML 403.
    "socialebasis/api/hsds.py",
}


def test_no_view_is_exempt_from_csrf():
    problems = []
    seen = set()
    for path in python_files():
        relative = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(), relative)
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Name):
                name = node.id
            elif isinstance(node, ast.Attribute):
                name = node.attr
            if name in {"csrf_exempt", "csrf_exempt_view"}:
                if relative in CSRF_EXEMPT_ALLOWED:
                    seen.add(relative)
                else:
                    problems.append(f"{relative}:{node.lineno}")
    assert not problems, "csrf_exempt found (justify it in CSRF_EXEMPT_ALLOWED):\n" + "\n".join(
        problems
    )
    assert seen == CSRF_EXEMPT_ALLOWED, f"stale CSRF_EXEMPT_ALLOWED: {CSRF_EXEMPT_ALLOWED - seen}"


@pytest.mark.django_db
def test_pages_render_without_inline_code(personas, client):
    """The rendered pages too (includes, partials and template tags the scan cannot see)."""
    urls = [
        "/",
        "/zoeken/?q=mantelzorg",
        f"/diensten/{personas.service.pk}/",
        f"/organisaties/{personas.organization.pk}/",
        f"/locaties/{personas.location.pk}/",
        f"/melden/?service={personas.service.pk}",
        "/gebieden/",
        f"/gebieden/wijken/{personas.district.code}/",
        f"/gebieden/buurten/{personas.neighbourhood.code}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not inline_code(response.content.decode()), url
