"""Health endpoints for a load balancer or orchestrator.

- ``/healthz`` (liveness): 200 ``{"status": "ok"}`` while the process answers; touches no
  database, so a database outage never gets healthy app processes restarted.
- ``/readyz`` (readiness): 200 ``{"status": "ready"}`` when the database answers and every
  migration of this code is applied; otherwise 503 ``{"status": "unavailable", "reason":
  "database unreachable" | "unapplied migrations", "migrations": [...]}`` so the balancer
  sends no traffic to a process that would fail (e.g. new code before ``migrate``).

Both are answered by ``middleware.health_checks``, the first middleware, before the host
check, the HTTPS redirect, sessions and the request log: a probe may use the server's IP
address as Host and plain HTTP inside the network, and probes every few seconds do not fill
the logs. (``SECURE_REDIRECT_EXEMPT`` alone would not do: ``CommonMiddleware`` checks the
host of every request.)
The responses hold no data beyond this status. The same views are also routed
(``urls.py``), so the permission matrix and ``reverse`` know them.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process runs and answers."""
    return JsonResponse({"status": "ok"})


def _unapplied_migrations() -> list[str]:
    """``app.migration`` names of the migrations this code has and the database lacks."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database answers and has every migration applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = _unapplied_migrations()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "reason": "database unreachable"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "unavailable", "reason": "unapplied migrations", "migrations": pending},
            status=503,
        )
    return JsonResponse({"status": "ready"})
