"""Formatting of numbers for pages, in the active language (Dutch: "1,2 km", "12.345")."""

from django.utils import formats


def format_distance(metres: float | None) -> str:
    """A distance for people: "350 m" under 1 km (rounded to 10 m), "1,2 km" under 10 km,
    "12 km" beyond. Decimal separator of the active language. "" for None."""
    if metres is None:
        return ""
    metres = max(0.0, float(metres))
    if metres < 995:
        return f"{max(10, int(round(metres / 10.0)) * 10)} m"
    km = metres / 1000.0
    if km < 9.95:
        return f"{formats.number_format(round(km, 1), decimal_pos=1, use_l10n=True)} km"
    return f"{formats.number_format(round(km), decimal_pos=0, force_grouping=True)} km"


def format_count(value: int | float | None, decimal_pos: int | None = None) -> str:
    """A count with thousands grouping of the active language ("12.345"); "" for None."""
    if value is None:
        return ""
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def format_percentage(part: int | None, whole: int | None) -> str:
    """``part`` as a whole percentage of ``whole`` ("15%"); "" when either is missing or 0."""
    if not part or not whole:
        return ""
    return f"{round(100 * part / whole)}%"


def format_radius(metres: int) -> str:
    """A search radius: "500 m", "2 km", "1,5 km" (no trailing ",0")."""
    if metres < 1000:
        return f"{int(metres)} m"
    km = metres / 1000.0
    if km == int(km):
        return f"{formats.number_format(int(km), force_grouping=True)} km"
    return f"{formats.number_format(round(km, 1), decimal_pos=1, use_l10n=True)} km"
