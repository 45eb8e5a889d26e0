"""gunicorn's settings for Interview Advisor: `make serve` runs `gunicorn --config` this file.

Django reads its own settings from the environment (see the README); the two variables here
only shape the server.
"""

import multiprocessing
import os

wsgi_app = "interview_advisor.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Load the app before forking, so a missing setting stops the server at once with its message
# instead of failing in every worker.
preload_app = True
timeout = 30
# Django alone decides whether to believe X-Forwarded-Proto (DJANGO_BEHIND_TLS_PROXY=1);
# gunicorn's default would believe it from any client on this machine.
secure_scheme_headers = {}
# No access log: every result URL carries its owner's private key. Errors go to stderr.
errorlog = "-"
# gunicorn's own lines name paths too ("Error handling request /result/<token>/"), so its
# error log goes through the filter that blanks tokens out of Django's. Given a logging
# configuration, gunicorn would also log every request: its access logger gets no handler.
logconfig_dict = {
    "filters": {"redact_tokens": {"()": "interview_advisor.logging.RedactResultTokens"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
        },
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["stderr"],
            "filters": ["redact_tokens"],
            "propagate": False,
        },
        "gunicorn.access": {"handlers": ["nowhere"], "propagate": False},
    },
}
