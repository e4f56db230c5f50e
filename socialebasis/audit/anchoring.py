"""Anchors: the audit chain's head, recorded outside the database.

The keyed hashes (``audit.chain``) show a changed row, but not rows deleted at the end of the
chain, nor a table emptied: what is left is still a valid chain. So the head (sequence, hash,
number of rows, time) is appended regularly to an *anchor store* outside the database, a file
(``SB_AUDIT_ANCHOR_FILE``) on another machine or write-once storage, and ``verify-audit``
checks every head recorded there: an anchored row that is gone, or has another hash, or fewer
rows than an anchor counted, means rows were deleted or rewritten after it was recorded.
What stays undetectable is only what happened since the last anchor.

``record_anchor()`` is the function to schedule (hourly; ``audit.tasks.record_audit_anchor``
is the same as a task); ``socialebasis verify-audit`` records one too after a clean check.
A line of the store: ``<sequence> <hash> <count> <ISO time>`` (files from before the count
have ``<sequence> <hash> <ISO time>``; both are read).
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from socialebasis.audit.models import AuditEvent
from socialebasis.lib.guard import unscoped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """The chain's head: its ``sequence`` and ``hash``, the ``count`` of rows, and ``at``."""

    sequence: int
    hash: str
    count: int
    at: datetime

    def line(self) -> str:
        return f"{self.sequence} {self.hash} {self.count} {self.at.isoformat()}"


def anchor_store() -> Path | None:
    """The configured anchor file (``settings.AUDIT_ANCHOR_FILE``), or None."""
    path = getattr(settings, "AUDIT_ANCHOR_FILE", "")
    return Path(path) if path else None


def current_anchor() -> Anchor | None:
    """The head of the chain now, or None for an empty log."""
    with unscoped("the audit chain's head for an anchor"):
        rows = AuditEvent.objects.all()  # access-ok: inside unscoped(), hashes only
        # One statement, so the count and the newest sequence belong together.
        head = rows.order_by().aggregate(sequence=Max("sequence"), count=Count("pk"))
        if head["sequence"] is None:
            return None
        digest = rows.filter(sequence=head["sequence"]).values_list("hash", flat=True).first()
    return Anchor(head["sequence"], digest, head["count"], timezone.now())


def record_anchor(path: Path | None = None) -> Anchor | None:
    """Append the current head to the anchor store (``path``, default the configured one) and
    return it; None when the log is empty. The line is written with one ``write`` on a file
    opened for appending, then fsync'ed; it is logged too (logger ``socialebasis.audit.
    anchoring``), so a log shipped elsewhere holds the heads as well. ImproperlyConfigured
    when no store is configured; OSError when the file cannot be written."""
    from django.core.exceptions import ImproperlyConfigured

    path = path or anchor_store()
    if path is None:
        raise ImproperlyConfigured("SB_AUDIT_ANCHOR_FILE is not set: nowhere to record anchors")
    anchor = current_anchor()
    if anchor is None:
        return None
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (anchor.line() + "\n").encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    log.info("audit anchor %s", anchor.line())
    return anchor


def _parse(number: int, line: str) -> tuple[int, str, int | None] | str:
    """(sequence, hash, count or None) of an anchor line, or why it is malformed."""
    parts = line.split()
    if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
        return f"anchor line {number} is malformed"
    count = int(parts[2]) if len(parts) >= 4 and parts[2].isdigit() else None
    return int(parts[0]), parts[1], count


def check_anchors(lines: list[str]) -> list[tuple[int, str]]:
    """Check the chain against heads recorded earlier (lines as written by
    ``record_anchor``). Returns problems as (sequence, reason): an anchored row that is gone
    (rows deleted after the anchor: the newest rows, or all), one with another hash
    (rewritten), fewer rows than an anchor counted, and malformed lines."""
    problems: list[tuple[int, str]] = []
    anchors: list[tuple[int, str, int | None]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            parsed = _parse(number, line)
            if isinstance(parsed, str):
                problems.append((0, parsed))
            else:
                anchors.append(parsed)
    with unscoped("checking the audit chain against its anchors"):
        rows = AuditEvent.objects.all()  # access-ok: inside unscoped(), hashes only
        count = rows.count()
        wanted = sorted({sequence for sequence, _, _ in anchors})
        stored: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            stored.update(rows.filter(sequence__in=batch).values_list("sequence", "hash"))
    for sequence, expected, _ in anchors:
        found = stored.get(sequence)
        if found is None:
            problems.append((sequence, "anchored row is gone (rows deleted after the anchor)"))
        elif found != expected:
            problems.append((sequence, "anchored row has another hash (rewritten)"))
    counted = max((c if c is not None else s for s, _, c in anchors), default=0)
    if count < counted:
        what = "the log is empty (every row deleted)" if count == 0 else "rows deleted"
        problems.append((0, f"{count} rows, fewer than the {counted} anchored: {what}"))
    return problems
