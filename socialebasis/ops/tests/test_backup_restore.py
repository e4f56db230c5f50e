"""Backup and restore exactly as docs/deploy.md says (PostgreSQL only): a database with the
persona world (users, a resident's file, consents, audit rows, directory objects) is dumped
with the documented ``pg_dump`` line, restored with the documented ``pg_restore`` line into a
fresh database, the audit chain verified there, and every table's row count compared.

The databases are real ones the test creates and drops itself: pytest-django's test
database cannot be used, since a committed audit log cannot be emptied afterwards."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from socialebasis.testing.scratch import ROOT, clean_env, postgres_url, scratch_database

pytestmark = pytest.mark.skipif(
    postgres_url() is None,
    reason="pg_dump/pg_restore need PostgreSQL: set DATABASE_URL=postgres://... "
    "(CI runs the suite on PostgreSQL too)",
)

DEPLOY = ROOT / "docs" / "deploy.md"


def documented_block(name: str) -> list[str]:
    """The command lines of the ```sh block after ``<!-- tested: NAME ...-->``."""
    text = DEPLOY.read_text(encoding="utf-8")
    match = re.search(rf"<!-- tested: {name}\b[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/deploy.md has no tested block {name!r}"
    return [line for line in match.group(1).splitlines() if line.strip()]


def row_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).fetchall()
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for (name,) in tables
        }


def test_backup_and_restore_as_documented(tmp_path, persona_database):
    backup_lines, restore_lines = documented_block("backup"), documented_block("restore")
    assert backup_lines[0].startswith("pg_dump ") and restore_lines[0].startswith("pg_restore ")
    source = persona_database.url
    with scratch_database(tmp_path, "restored") as target:
        env = clean_env(
            DATABASE_URL=source,
            RESTORE_URL=target,
            BACKUP=str(tmp_path / "socialebasis.dump"),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        outputs = []
        for line in backup_lines + restore_lines:
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", line],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
            outputs.append(done.stdout)
        assert "Auditlog in orde" in outputs[-1]  # the documented verify-audit, on the copy
        before, after = row_counts(source), row_counts(target)
    assert after == before
    assert before["audit_auditevent"] > 0 and before["residents_resident"] > 0
    assert before["accounts_user"] > 0 and before["directory_service"] > 0
