"""Retention policies: how long each kind of personal record is kept, and what then happens.

Each personal model declares one ``RetentionPolicy`` (registered from its app's ``trust.py``;
the base apps' in ``privacy.policies``): keep a record ``months`` after the date in
``basis``, then delete or anonymise it. A policy without ``months`` has no clock of its own:
its rows go with the resident's file (``RetentionAction.WITH_RESIDENT``).
``socialebasis apply-retention`` runs ``apply_retention`` (daily as the scheduled job
``apply_retention``, ``privacy.tasks``); ``--dry-run``
lists what would go and changes nothing. Every deletion or anonymisation writes
``events.retention_applied`` (model and id, never content).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from socialebasis.audit import events
from socialebasis.lib.guard import unscoped
from socialebasis.privacy.constants import RetentionAction


@dataclass(frozen=True)
class RetentionPolicy:
    """``model`` ("app_label.Model") is kept ``months`` after ``basis`` (a description of
    the date, e.g. "laatste activiteit"), then ``action`` applies.

    ``due(cutoff)`` returns the rows whose date lies before ``cutoff`` (and that the policy
    has not handled yet). ``apply(row)`` anonymises one row (for ``anonymise``) and returns
    the (model label, id) of linked rows it removed or anonymised too, which get their own
    audit row; for ``delete`` the default deletes the row. ``municipality(row)`` gives the
    municipality code the audit row belongs to.
    """

    model: str
    months: int | None
    action: str
    basis: str | Promise
    due: Callable[[datetime], models.QuerySet] | None = None
    apply: Callable[[models.Model], list[tuple[str, str]]] | None = None
    municipality: Callable[[models.Model], str] = lambda row: ""  # noqa: E731
    note: str | Promise = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def action_past(self) -> str:
        """ "deleted" or "anonymised" (as written in the audit row)."""
        return "deleted" if self.action == RetentionAction.DELETE else "anonymised"

    def get_action_display(self) -> str:
        return str(RetentionAction(self.action).label)

    def cutoff(self, now: datetime) -> datetime:
        return now - relativedelta(months=self.months or 0)


_POLICIES: dict[str, RetentionPolicy] = {}


def register(policy: RetentionPolicy) -> None:
    _POLICIES[policy.model.lower()] = policy


def policies() -> list[RetentionPolicy]:
    return list(_POLICIES.values())


def policy_for(model: type[models.Model] | str) -> RetentionPolicy | None:
    label = model if isinstance(model, str) else model._meta.label
    return _POLICIES.get(label.lower())


@dataclass
class RetentionResult:
    """What a policy did (or would do, in a dry run): ``ids`` of the rows it handled and
    ``linked`` rows removed or anonymised with them."""

    policy: RetentionPolicy
    ids: list[str] = field(default_factory=list)
    linked: list[tuple[str, str]] = field(default_factory=list)


def apply_retention(*, dry_run: bool = False, now: datetime | None = None) -> list[RetentionResult]:
    """Apply every policy with a clock. Each row is handled in its own transaction, with its
    audit rows, so an interrupted run leaves nothing half done and can simply run again."""
    now = now or timezone.now()
    results = []
    for policy in policies():
        if policy.months is None or policy.due is None:
            continue
        result = RetentionResult(policy)
        pks = list(policy.due(policy.cutoff(now)).order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            if dry_run:
                result.ids.append(str(pk))
                continue
            with transaction.atomic(), unscoped("the retention job, one due row at a time"):
                row = policy.model_class.objects.select_for_update().filter(pk=pk).first()
                if row is None:
                    continue
                _apply_one(policy, row, result)
        results.append(result)
    return results


def _apply_one(policy: RetentionPolicy, row, result: RetentionResult) -> None:
    label, pk, code = row._meta.label_lower, str(row.pk), policy.municipality(row)
    if policy.action == RetentionAction.DELETE:
        linked = policy.apply(row) if policy.apply else []
        row.delete()
    else:
        linked = policy.apply(row)
    events.retention_applied(label, pk, code, action=policy.action_past)
    for linked_label, linked_pk in linked:
        linked_action = "anonymised" if linked_label == "accounts.user" else "deleted"
        events.retention_applied(linked_label, linked_pk, code, action=linked_action)
    result.ids.append(pk)
    result.linked.extend(linked)
