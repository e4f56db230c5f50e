"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """Tile settings for the map and the data credits for the footer."""
    return {
        "TILE_URL": settings.TILE_URL,
        "TILE_ATTRIBUTION": settings.TILE_ATTRIBUTION,
    }
