"""Opening hours from HSDS 3.0 schedules (RFC 5545 recurrence rules), in Europe/Amsterdam.

A schedule is open at a moment when the moment's day is an occurrence of its rule
(``freq`` WEEKLY/MONTHLY, ``interval``, ``byday``, ``bymonthday``, ``dtstart``, ``until``,
within ``valid_from``..``valid_to``) and the local time lies in [opens_at, closes_at).
A ``closes_at`` earlier than ``opens_at`` means open past midnight. Recurrence is evaluated
with python-dateutil's rrule.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from socialebasis.directory.constants import WEEKDAY_INDEX

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_FREQ = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY, "DAILY": rrule.DAILY, "": rrule.WEEKLY}
_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


def _occurs_on(schedule, day: date) -> bool:
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    freq = _FREQ.get((schedule.freq or "").upper())
    if freq is None:
        return False
    byday = [
        _DAYS[WEEKDAY_INDEX[d.strip()[-2:].upper()]]
        for d in (schedule.byday or "").split(",")
        if d.strip()[-2:].upper() in WEEKDAY_INDEX
    ]
    bymonthday = [
        int(x) for x in (schedule.bymonthday or "").split(",") if x.strip().lstrip("-").isdigit()
    ]
    if not byday and not bymonthday and freq != rrule.DAILY:
        return False  # a rule without days says nothing about opening days
    start = schedule.dtstart or schedule.valid_from or date(2000, 1, 3)
    rule = rrule.rrule(
        freq,
        dtstart=datetime.combine(start, time()),
        interval=schedule.interval or 1,
        byweekday=byday or None,
        bymonthday=bymonthday or None,
        until=datetime.combine(schedule.until, time()) if schedule.until else None,
    )
    occurrence = rule.after(datetime.combine(day, time()), inc=True)
    return occurrence is not None and occurrence.date() == day


def is_open_at(schedule, moment: datetime) -> bool:
    """Whether ``schedule`` is open at ``moment`` (aware; converted to Europe/Amsterdam)."""
    if schedule.opens_at is None or schedule.closes_at is None:
        return False
    local = moment.astimezone(AMSTERDAM)
    now = local.time()
    opens, closes = schedule.opens_at, schedule.closes_at
    if opens <= closes:
        return opens <= now < closes and _occurs_on(schedule, local.date())
    # Past midnight: open from opens_at today, or until closes_at on the day after.
    if now >= opens:
        return _occurs_on(schedule, local.date())
    return now < closes and _occurs_on(schedule, local.date() - timedelta(days=1))
