"""Signals of the areas app, for the apps above it (areas imports none of them).

``areas_imported``: sent by ``socialebasis import-cbs`` after a successful import, inside the
import's transaction, with ``report`` (a ``lib.importing.Report``) to add tallies and notes
to; not sent with ``--no-post``. A receiver's exception aborts the whole import. The directory
recomputes the area centroids and rebuilds its search index (``directory.areas``)."""

from django.dispatch import Signal

areas_imported = Signal()
