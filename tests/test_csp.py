"""The Content-Security-Policy header: built once, yet what django-csp itself would send."""

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from interview_advisor.csp import CSPMiddleware


def respond(middleware_class, prepare_response=lambda response: None, use_nonce=False):
    request = RequestFactory().get("/")

    def view(request):
        if use_nonce:
            str(request.csp_nonce)
        response = HttpResponse("ok")
        prepare_response(response)
        return response

    return middleware_class(view)(request)


def test_sends_the_same_header_as_django_csp():
    ours = respond(CSPMiddleware)["Content-Security-Policy"]
    assert ours == respond(DjangoCSPMiddleware)["Content-Security-Policy"]
    assert "default-src 'none'" in ours and "unsafe-inline" not in ours


def test_a_response_with_its_own_policy_keeps_it():
    def widen(response):
        response._csp_update = {"img-src": ["https://example.org"]}

    header = respond(CSPMiddleware, widen)["Content-Security-Policy"]
    assert header == respond(DjangoCSPMiddleware, widen)["Content-Security-Policy"]
    assert "https://example.org" in header


def test_a_page_that_uses_a_nonce_is_left_to_django_csp(monkeypatch):
    built = []
    original = DjangoCSPMiddleware.process_response
    monkeypatch.setattr(
        DjangoCSPMiddleware,
        "process_response",
        lambda self, request, response: built.append(1) or original(self, request, response),
    )
    respond(CSPMiddleware)
    assert built == []
    header = respond(CSPMiddleware, use_nonce=True)["Content-Security-Policy"]
    assert built == [1]
    assert header == respond(DjangoCSPMiddleware)["Content-Security-Policy"]


def test_a_header_the_view_set_itself_is_left_alone():
    def own(response):
        response["Content-Security-Policy"] = "default-src 'self'"

    assert respond(CSPMiddleware, own)["Content-Security-Policy"] == "default-src 'self'"
