"""One real database with the persona world for the tests that run the platform in other
processes (the production server, backup and restore): migrating a new PostgreSQL database
takes most of their time, so they share it. They only read it."""

from types import SimpleNamespace

import pytest

from socialebasis.testing.scratch import LOAD_PERSONAS, clean_env, run_python, scratch_database


@pytest.fixture(scope="session")
def persona_database(tmp_path_factory):
    """``url`` of a migrated database (SQLite file, or PostgreSQL when DATABASE_URL says so)
    with the persona world, and ``service_id``: a service of it."""
    tmp = tmp_path_factory.mktemp("persona-db")
    with scratch_database(tmp, "ops") as url:
        service_id = run_python(LOAD_PERSONAS, clean_env(DATABASE_URL=url)).split()[-1]
        yield SimpleNamespace(url=url, service_id=service_id)
