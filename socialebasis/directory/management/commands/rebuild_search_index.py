"""``socialebasis rebuild-search-index``: rebuild the full-text index from the directory."""

import time

from django.core.management.base import BaseCommand

from socialebasis.directory.search_index import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index (entries, full-text documents and vocabulary) from the "
        "directory, in one transaction. Run after bulk changes outside the importers."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_search_index()
        self.stdout.write(f"{count} zoekitems geïndexeerd in {time.perf_counter() - started:.1f} s")
