"""The client's address as the TLS proxy reports it, for django-axes's lockout.

Behind the proxy every connection comes from the proxy's own address, so the proxy appends the
address it accepted the connection from to ``X-Forwarded-For``. Whatever a client writes into
that header itself comes before the proxy's entry: only the rightmost entry can be believed.

django-axes takes this function through its documented ``AXES_CLIENT_IP_CALLABLE`` setting.
Its django-ipware route is not used: it can count entries from the right (a proxy count of
0), but it parses the header as RFC 7239 text, so a client that sends a lone ``"`` makes the
whole header one quoted string that does not parse, and the address falls back to the
proxy's (or to none), which every such client shares: a second lockout to use up, and one
another client's failures count against. Splitting on the last comma cannot be steered so.
"""

import ipaddress

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """Return the rightmost ``X-Forwarded-For`` address, else ``REMOTE_ADDR``.

    The fallback only serves a request that did not come through the proxy (the header is
    missing, or its last entry is not an address), such as a health check on the machine.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return request.META.get("REMOTE_ADDR")
