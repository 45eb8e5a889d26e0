"""The product's URLs, plus /bench/bare/: the cheapest page Django can serve, as the baseline."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench import BARE_PATH
from interview_advisor import urls as product


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bare\n", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare), *product.urlpatterns]
handler500 = getattr(product, "handler500", "django.views.defaults.server_error")
