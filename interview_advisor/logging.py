"""A logging filter that keeps result tokens out of the logs.

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
