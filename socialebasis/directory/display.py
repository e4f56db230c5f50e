"""How directory records read on a page: opening hours in words, costs, ages.

Pure functions of model instances (no queries), translated into the active language.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from socialebasis.directory.constants import WEEKDAY_INDEX, Weekday

_ORDINALS = {
    1: gettext_lazy("eerste"),
    2: gettext_lazy("tweede"),
    3: gettext_lazy("derde"),
    4: gettext_lazy("vierde"),
    5: gettext_lazy("vijfde"),
    -1: gettext_lazy("laatste"),
}


@dataclass(frozen=True)
class ScheduleLine:
    """One row of an opening-hours table: when (days), hours, and a note."""

    days: str
    hours: str
    note: str


def _day_name(code: str) -> str:
    return str(Weekday(code).label)


def _ordinal(n: int) -> str:
    return str(_ORDINALS[n]) if n in _ORDINALS else f"{n}."


def _days(schedule) -> str:
    """The days of a schedule's recurrence in words, e.g. "maandag, woensdag en vrijdag",
    "elke eerste dinsdag van de maand", "elke maand op dag 1 en 15"."""
    freq = (schedule.freq or "WEEKLY").upper()
    parts = []
    for raw in (schedule.byday or "").split(","):
        raw = raw.strip().upper()
        code = raw[-2:]
        if code not in WEEKDAY_INDEX:
            continue
        prefix = raw[:-2]
        if prefix.lstrip("+-").isdigit() and int(prefix) != 0:
            parts.append(
                _("%(ordinal)s %(day)s van de maand")
                % {"ordinal": _ordinal(int(prefix)), "day": _day_name(code)}
            )
        else:
            parts.append((WEEKDAY_INDEX[code], _day_name(code)))
    weekdays = [p for p in parts if isinstance(p, tuple)]
    monthly = [p for p in parts if isinstance(p, str)]
    texts: list[str] = []
    if weekdays:
        names = [name for _i, name in sorted(weekdays)]
        if len(names) == 5 and [i for i, _n in sorted(weekdays)] == [0, 1, 2, 3, 4]:
            texts.append(_("maandag t/m vrijdag"))
        elif len(names) == 7:
            texts.append(_("elke dag"))
        else:
            texts.append(_join(names))
        if freq == "MONTHLY" and not monthly:
            texts[-1] = _("een keer per maand op %(days)s") % {"days": texts[-1]}
        elif (schedule.interval or 1) > 1:
            texts[-1] = ngettext(
                "%(days)s, om de %(n)d week", "%(days)s, om de %(n)d weken", schedule.interval
            ) % {"days": texts[-1], "n": schedule.interval}
    texts += monthly
    monthdays = [d.strip() for d in (schedule.bymonthday or "").split(",") if d.strip()]
    if monthdays:
        texts.append(_("elke maand op dag %(days)s") % {"days": _join(monthdays)})
    if not texts and freq == "DAILY":
        texts.append(_("elke dag"))
    return "; ".join(texts)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _time(value) -> str:
    return f"{value.hour}:{value.minute:02d}"


def describe_schedule(schedule) -> ScheduleLine:
    """A schedule as a table row. Falls back to its free-text description."""
    days = _days(schedule)
    hours = ""
    if schedule.opens_at and schedule.closes_at:
        hours = f"{_time(schedule.opens_at)} – {_time(schedule.closes_at)}"
    elif schedule.opens_at:
        hours = _("vanaf %(time)s") % {"time": _time(schedule.opens_at)}
    note_parts = [p for p in (schedule.description, schedule.notes) if p]
    if not days and not hours and not note_parts:
        note_parts = [str(schedule)]
    if not days and not hours:
        # Free text only (e.g. "Werkdagen 9:00-17:00"): show it as the "when".
        return ScheduleLine(days=" ".join(note_parts), hours="", note="")
    return ScheduleLine(days=days[:1].upper() + days[1:], hours=hours, note=" ".join(note_parts))


def describe_schedules(schedules) -> list[ScheduleLine]:
    """Table rows for several schedules, Monday first."""

    def key(s):
        first = (s.byday or "").split(",")[0].strip().upper()[-2:]
        return (WEEKDAY_INDEX.get(first, 7), s.opens_at is None, s.opens_at or 0)

    return [describe_schedule(s) for s in sorted(schedules, key=key)]


def describe_cost(option) -> str:
    """A cost option in words: "Gratis", "€ 2,50 per keer", or its own text."""
    if option.amount is not None and option.amount == 0:
        text = _("Gratis")
    elif option.amount is not None:
        amount = number_format(option.amount, decimal_pos=2, use_l10n=True)
        text = f"€ {amount}" if option.currency in ("", "EUR") else f"{option.currency} {amount}"
    else:
        text = ""
    extra = " ".join(p for p in (option.option, option.amount_description) if p)
    return " – ".join(p for p in (text, extra) if p)


def describe_ages(service) -> str:
    """The age range of a service in words; "" when it has none."""
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("%(low)d tot en met %(high)d jaar") % {"low": low, "high": high}
    if low is not None:
        return _("vanaf %(low)d jaar") % {"low": low}
    if high is not None:
        return _("tot en met %(high)d jaar") % {"high": high}
    return ""
