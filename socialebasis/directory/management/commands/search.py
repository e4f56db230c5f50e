"""``socialebasis search "tekst" [--near PLACE] [--radius M] [--json]``: the social map from
the command line, through the same SearchForm and search() as the pages and the API."""

import json

from django.core.management.base import BaseCommand, CommandError

from socialebasis.directory.forms import SearchForm
from socialebasis.directory.search import SearchError, search


def format_distance(metres: float | None) -> str:
    """Dutch display of a distance: "350 m", "1,2 km"; "" when unknown."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Search the social map: free Dutch text, optionally near a place (postcode, "
        "neighbourhood, district, address or 'lat,lon'). Prints a table or JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", default="", help="what to search, e.g. eenzaam")
        parser.add_argument(
            "--near",
            default="",
            help="place: 1055, 1055AB, De Baarsjes, "
            "BU0363EE04, 'Spaarndammerdijk 319', '52.37,4.89'",
        )
        parser.add_argument(
            "--radius", default=None, help="metres (default 2000; clamped to 100..50000)"
        )
        parser.add_argument("--theme", default="", help="theme code, e.g. geld-en-schulden")
        parser.add_argument("--sort", default="", choices=["", "relevance", "distance", "name"])
        parser.add_argument("--limit", type=int, default=20, help="results to show (1..100)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, **options):
        data = {
            "q": options["text"],
            "near": options["near"],
            "theme": options["theme"],
            "sort": options["sort"],
            "page_size": options["limit"],
        }
        if options["radius"] is not None:
            data["radius"] = options["radius"]
        form = SearchForm(data=data)
        if not form.is_valid():
            raise CommandError(_errors_text(form.errors))
        try:
            response = search(form.to_params())
        except SearchError as exc:
            raise CommandError(f"{_argument(exc.field)}: {exc.reason}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(response), ensure_ascii=False, indent=2))
            return
        self._table(response)

    def _table(self, response):
        if response.place:
            self.stdout.write(f"Plaats: {response.place.label} ({response.place.kind})")
        for word, corrected in response.corrections.items():
            self.stdout.write(f"Gezocht op '{corrected}' in plaats van '{word}'")
        if response.relaxed:
            self.stdout.write("Geen resultaten met alle woorden; resultaten met een deel ervan.")
        self.stdout.write(f"{response.total} resultaten")
        for number, hit in enumerate(response.hits, start=1):
            address = _address(hit)
            distance = format_distance(hit.distance_m)
            self.stdout.write(
                f"{number:>3}. {hit.service.name} — {hit.service.organization.name}"
                + (f" | {address}" if address else "")
                + (f" | {distance}" if distance else "")
            )


def _address(hit) -> str:
    if hit.location is None:
        return ""
    addresses = list(hit.location.addresses.all())
    return str(addresses[0]) if addresses else hit.location.name


def _as_json(response) -> dict:
    return {
        "total": response.total,
        "place": None
        if response.place is None
        else {
            "label": response.place.label,
            "kind": response.place.kind,
            "latitude": response.place.lat,
            "longitude": response.place.lon,
        },
        "relaxed": response.relaxed,
        "corrections": response.corrections,
        "results": [
            {
                "service_id": str(hit.service.id),
                "name": hit.service.name,
                "organization": hit.service.organization.name,
                "location_id": str(hit.location.id) if hit.location else None,
                "address": _address(hit) or None,
                "distance_m": None if hit.distance_m is None else round(hit.distance_m),
                "score": round(hit.score, 4),
            }
            for hit in response.hits
        ],
    }


# The form's fields as this command's arguments, so that an error names what the user typed.
_ARGUMENTS = {"q": "text", "page_size": "--limit"}


def _argument(field: str) -> str:
    return _ARGUMENTS.get(field, f"--{field}")


def _errors_text(errors) -> str:
    return "; ".join(
        f"{_argument(field)}: {' '.join(messages)}" for field, messages in errors.items()
    )
