"""Verification of the audit hash chain."""

from dataclasses import dataclass, field

from socialebasis.audit.events import GENESIS
from socialebasis.audit.models import AuditEvent
from socialebasis.lib.guard import unscoped


@dataclass
class ChainReport:
    """``rows`` checked; ``problems`` as (sequence, reason); ok when there are none."""

    rows: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows():
    """Every audit row: verification reads the whole chain by design (hashes, no content)."""
    with unscoped("verifying the audit chain"):
        return AuditEvent.objects.all()  # access-ok: inside unscoped()


def verify_chain() -> ChainReport:
    """Walk the log in sequence order: every row's hash must match its content, link to the
    previous row's hash, and sequences must run 1, 2, 3, ... without gaps."""
    report = ChainReport()
    previous_hash, expected = GENESIS, 1
    for row in _rows().order_by("sequence").iterator(chunk_size=2000):
        report.rows += 1
        if row.sequence != expected:
            report.problems.append((row.sequence, f"gap: expected #{expected} (rows deleted)"))
        if row.prev_hash != previous_hash:
            report.problems.append((row.sequence, "link to the previous row is broken"))
        if row.compute_hash() != row.hash:
            report.problems.append((row.sequence, "content does not match its hash (altered)"))
        previous_hash, expected = row.hash, row.sequence + 1
    return report


def check_anchors(lines: list[str]) -> list[tuple[int, str]]:
    """Check chain heads recorded earlier (lines "sequence hash iso-time", as written by
    ``anchor_line``). A head that is gone, or whose hash differs, means rows were deleted
    or rewritten after it was recorded, including the newest rows, which the chain alone
    cannot prove. Returns problems as (sequence, reason); malformed lines are problems too."""
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            problems.append((0, f"anchor line {number} is malformed"))
            continue
        sequence, expected = int(parts[0]), parts[1]
        stored = _rows().filter(sequence=sequence).values_list("hash", flat=True)
        found = next(iter(stored), None)
        if found is None:
            problems.append((sequence, "anchored row is gone (rows deleted after the anchor)"))
        elif found != expected:
            problems.append((sequence, "anchored row has another hash (rewritten)"))
    return problems


def anchor_line() -> str | None:
    """The current chain head as an anchor line, or None for an empty log."""
    head = _rows().order_by("-sequence").first()
    if head is None:
        return None
    return f"{head.sequence} {head.hash} {head.occurred_at.isoformat()}"
