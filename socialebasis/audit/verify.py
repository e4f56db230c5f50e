"""Verification of the audit chain: the keyed hashes (``audit.chain``) and the anchors
recorded outside the database (``audit.anchoring``)."""

import hmac
from dataclasses import dataclass, field

from socialebasis.audit import chain
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


class _Keys:
    """The key checks along the chain: which key may sign the next row."""

    def __init__(self):
        self.known = chain.known_keys()
        self.used: set[str] = set()
        self.previous: str | None = None

    def problem(self, row) -> str | None:
        """Why ``row``'s key or hash is wrong, or None."""
        if row.key_id is chain.LEGACY:
            if self.used:
                return "unkeyed row after keyed rows (rewritten without the key)"
            if row.compute_hash(None) != row.hash:
                return "content does not match its hash (altered)"
            return None
        key = self.known.get(row.key_id)
        if key is None:
            return f"signed with key {row.key_id}, which is not configured (SB_AUDIT_KEYS)"
        retired = row.key_id in self.used and row.key_id != self.previous
        self.used.add(row.key_id)
        self.previous = row.key_id
        if not hmac.compare_digest(row.compute_hash(key), row.hash):
            return "content does not match its hash (altered)"
        if retired:
            return f"key {row.key_id} signs again after a newer key (rewritten)"
        return None


def verify_chain() -> ChainReport:
    """Walk the log in sequence order: every row's keyed hash must match its content, link
    to the previous row's hash, and sequences must run 1, 2, 3, ... without gaps. Rows from
    before keyed hashes (no key id) are accepted only at the start, followed by a keyed row."""
    report = ChainReport()
    keys = _Keys()
    previous_hash, expected, last = GENESIS, 1, 0
    for row in _rows().order_by("sequence").iterator(chunk_size=2000):
        report.rows += 1
        if row.sequence != expected:
            report.problems.append((row.sequence, f"gap: expected #{expected} (rows deleted)"))
        if row.prev_hash != previous_hash:
            report.problems.append((row.sequence, "link to the previous row is broken"))
        problem = keys.problem(row)
        if problem:
            report.problems.append((row.sequence, problem))
        previous_hash, expected, last = row.hash, row.sequence + 1, row.sequence
    if report.rows and not keys.used:
        report.problems.append(
            (last, "no row is signed with the key: unkeyed rows are not sealed (rewritten)")
        )
    return report
