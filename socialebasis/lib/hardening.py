"""Settings helpers for hardening: the shared cache from a URL and the map-tile origin for the
Content-Security-Policy. Model-free and import-safe (settings.py imports this module)."""

from urllib.parse import urlsplit

CACHE_TABLE = "sb_cache"
MAX_ENTRIES = 10_000  # rows of the database cache before expired ones are removed


def cache_config(url: str) -> dict:
    """The ``CACHES["default"]`` entry for ``SB_CACHE_URL``.

    - ``db://`` or empty (default): the database cache in table ``sb_cache`` (created by
      the migration ``security.0001``), with atomic counters (``lib.cache.AtomicDatabaseCache``:
      a row lock per increment). Shared by every process that uses the database, so rate
      limits hold behind a load balancer without another service. Expired rows are removed
      once the table holds more than ``MAX_ENTRIES`` rows; live counters never are.
    - ``redis://host:6379/0`` / ``rediss://...``: Django's Redis cache (the ``redis`` package
      is a dependency). Atomic counters (``INCR``); takes load off the database on busy sites.
    - ``locmem://``: per-process memory. Only for a single development process: rate limits
      are counted per process (the ``security`` deploy check refuses it in production).

    Raises ValueError for any other scheme, naming the variable.
    """
    url = (url or "").strip()
    scheme = urlsplit(url).scheme if url else "db"
    if scheme == "db":
        return {
            "BACKEND": "socialebasis.lib.cache.AtomicDatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        name = urlsplit(url).netloc or "sociale-basis"
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    raise ValueError(f"SB_CACHE_URL={url!r}: use db://, redis://host:port/db or locmem://")


def tile_origin(tile_url: str) -> str | None:
    """The origin the browser loads map tiles from, for ``img-src``: ``https://host``.
    A Leaflet subdomain placeholder (``{s}.tile.example.org``) becomes ``*.tile.example.org``.
    None when tiles are off (empty URL) or the URL is relative (tiles from this site)."""
    tile_url = (tile_url or "").strip()
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


PERIODS = {"s", "m", "h", "d", "second", "minute", "hour", "day"}


def rate(value: str) -> str | None:
    """A rate like ``10/h`` or ``100/day`` (per second, minute, hour or day; the form both
    django-ratelimit and DRF understand), or None for "no limit" (``off``, ``none`` or
    empty). Raises ValueError for anything else, so a typo never lifts a limit."""
    value = (value or "").strip().lower()
    if value in {"", "off", "none"}:
        return None
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in PERIODS:
        raise ValueError(f"rate {value!r}: use e.g. 10/m, 100/h, 1000/day or off")
    return f"{int(count)}/{period}"
