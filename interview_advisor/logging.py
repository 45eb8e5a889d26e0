"""Logging filters: result tokens out of the logs, and client errors in one line.

A result path (``/result/<token>/``) is its owner's only key to their answers, and Django's
request logger names the path of every 4xx and 5xx ("Not Found: /result/<token>/").
"""

import logging
import re

RESULT_PATH = re.compile(r"/result/[^/\s\"']+")
REDACTED = "/result/[redacted]"


class RedactResultTokens(logging.Filter):
    """Replace the token in any result path a record would print; never drop a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/result/" in message:
            # Changed in place, so every handler and any later filter sees the redacted text.
            record.msg = RESULT_PATH.sub(REDACTED, message)
            record.args = ()
        return True


class ClientErrorsInOneLine(logging.Filter):
    """Drop the traceback from the record of a 4xx response; never drop a record.

    Django logs a refused request (a foreign host, a body too large, one it cannot decode)
    with the traceback of the exception that refused it: a page of the log for the client's
    mistake, not the server's.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
