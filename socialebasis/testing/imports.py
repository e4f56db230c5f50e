"""Helpers for tests that load the real data files once per test module.

``loaded_module_data`` runs import commands outside the per-test transactions (so every test
of the module sees the data) and ``wipe_imported_data`` removes it again at module teardown,
so other test modules start from an empty database.
"""

import io
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory import models as d

COUNTED = (Municipality, District, Neighbourhood, d.Organization, d.Location, d.Address,
           d.Service, d.ServiceAtLocation, d.ServiceArea, d.Phone, d.CostOption, d.Attribute,
           d.Taxonomy, d.TaxonomyTerm)  # fmt: skip


def run(command: str, *args, **options) -> str:
    """Run a management command; return what it printed."""
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Row count per model of areas and directory: compare before/after a failed import."""
    return {model.__name__: model.objects.count() for model in COUNTED}


def wipe_imported_data() -> None:
    """Delete all directory and area rows (and the search index through a rebuild)."""
    d.Attribute.objects.all().delete()
    d.Service.objects.all().delete()
    d.Location.objects.all().delete()
    d.Organization.objects.all().delete()
    d.Taxonomy.objects.all().delete()
    Municipality.objects.all().delete()
    try:
        from socialebasis.directory.search_index import rebuild_search_index
    except ImportError:
        return
    rebuild_search_index()


def copy_data(target: Path, files: Iterable[str]) -> Path:
    """Copy some files of the data directory (paths relative to it) to ``target``, keeping
    their relative paths, for tests that corrupt a copy. Returns ``target``."""
    for name in files:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(settings.DATA_DIR) / name, destination)
    return target
