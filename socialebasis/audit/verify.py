"""Verification of the audit hash chain."""

from dataclasses import dataclass, field

from socialebasis.audit.events import GENESIS
from socialebasis.audit.models import AuditEvent


@dataclass
class ChainReport:
    """``rows`` checked; ``problems`` as (sequence, reason); ok when there are none."""

    rows: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain() -> ChainReport:
    """Walk the log in sequence order: every row's hash must match its content, link to the
    previous row's hash, and sequences must run 1, 2, 3, ... without gaps."""
    report = ChainReport()
    previous_hash, expected = GENESIS, 1
    for row in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        report.rows += 1
        if row.sequence != expected:
            report.problems.append((row.sequence, f"gap: expected #{expected} (rows deleted)"))
        if row.prev_hash != previous_hash:
            report.problems.append((row.sequence, "link to the previous row is broken"))
        if row.compute_hash() != row.hash:
            report.problems.append((row.sequence, "content does not match its hash (altered)"))
        previous_hash, expected = row.hash, row.sequence + 1
    return report
