"""Error handlers that must not fail themselves: 400, and 500 (503 while the database is down)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader

from .health import RETRY_AFTER_SECONDS


def caused_by_database_outage(exc: BaseException | None) -> bool:
    """Return whether ``exc``, or an exception it arose from, says the database is out of reach.

    ``OperationalError`` covers a refused or dropped connection and a locked SQLite file;
    ``InterfaceError`` a connection that was closed under the app. Both pass once the database
    is back, unlike a programming error.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the 400 page from the template alone, without the request's context.

    Django's own handler is wrapped in ``requires_csrf_token``, which reads ``request.POST``
    again: a body that could not be decoded (``charset=utf-16``) raised a second time there
    and became a 500. Rendering without the request reads neither the body nor the session.
    """
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 or 503 page from the template alone, without the request's context.

    Neither page may touch the database: no context processors run, so nothing asks for the
    session or the user. Django calls this inside its ``except`` block, so the exception being
    handled is ``sys.exception()``.
    """
    if caused_by_database_outage(sys.exception()):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response
