"""Importers of real public data into the directory (see ``amsterdam``), and the steps every
import ends with."""

from socialebasis.areas.centroids import assign_centroids
from socialebasis.lib.importing import Report


def finish_import(changed: int) -> Report:
    """Recompute area centroids; rebuild the search index when ``changed`` > 0 rows were
    written (or the index is empty while services exist). Returns what it did.

    The search index module may be missing in a given checkout; then a note says so.
    """
    report = Report()
    report.tallies["Area centroids"] = assign_centroids()
    try:
        from socialebasis.directory.search_index import rebuild_search_index
    except ImportError:
        report.note("Search index module not available: index not rebuilt.")
        return report
    from socialebasis.directory.models import SearchEntry, Service

    if not Service.objects.exists():
        return report
    if changed + report.changed > 0 or not SearchEntry.objects.exists():
        report.note(f"Search index rebuilt: {rebuild_search_index()} entries.")
    else:
        report.note("Nothing changed: search index not rebuilt.")
    return report


def after_import(report: Report) -> None:
    """``finish_import`` for the changes counted in ``report``, merged into it."""
    report.merge(finish_import(report.changed))
