"""The product's settings plus a bare view to measure against; used only by bench/.

gunicorn runs with ``DJANGO_SETTINGS_MODULE=bench.settings``, so the bare view goes through
exactly the middleware the product's pages do, and never exists in the product.
"""

import os

from interview_advisor.settings import *  # noqa: F403
from interview_advisor.settings import STATIC_ROOT as PRODUCT_STATIC_ROOT

ROOT_URLCONF = "bench.urls"
# Static files are collected into the run's own folder, away from the tests' staticfiles/.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or PRODUCT_STATIC_ROOT
# The benchmark speaks plain HTTP on loopback, where HTTP clients keep no Secure cookie.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
