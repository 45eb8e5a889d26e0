"""The health check at /healthz: one query, answered before any other middleware."""

from functools import cache

from django.apps import apps
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

HEALTH_PATH = "/healthz"
RETRY_AFTER_SECONDS = 30


@cache
def probe_sql() -> str:
    """A query that reads no row but names every model's table, so it fails as the pages
    would if the database is down or a table is missing (migrations not run)."""
    quote = connection.ops.quote_name
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    return " UNION ALL ".join(f"SELECT 1 FROM {quote(table)} WHERE 1 = 0" for table in tables)


def database_answers() -> bool:
    """Return whether the database answers, with every table the pages read."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(probe_sql())
            cursor.fetchall()
    except DatabaseError:
        return False
    return True


def health_response(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if database_answers():
        response = HttpResponse("ok\n", content_type="text/plain")
    else:
        response = HttpResponse("database unavailable\n", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if request.method == "HEAD":
        response.content = b""
    # Set here, as the middleware that would set these never see this response.
    response["Content-Length"] = str(len(response.content))
    return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` whatever the Host header or scheme.

    A load balancer polls each process by its own address over plain HTTP, so the check runs
    before the host validation, the HTTPS redirect and the session: it is cheap enough to be
    polled every second and says only whether this process can reach the database and find
    its tables there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)
