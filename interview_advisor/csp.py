"""django-csp's middleware, with the site-wide policy built once instead of per response."""

from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# What a view or decorator can set to change the policy of one response.
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class CSPMiddleware(DjangoCSPMiddleware):
    """Send the policy of ``CONTENT_SECURITY_POLICY`` without rebuilding it each time.

    django-csp works the header out from the settings on every response, which cost about
    a tenth of a question page. Every page here has the same policy, so it is built once;
    a response with its own policy (a csp decorator) or a request that used a nonce goes
    through django-csp's own code, as do any excluded URL prefixes.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.policy = build_policy()
        self.policy_report_only = build_policy(report_only=True)
        self.plain = not any(
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )

    def process_response(self, request, response):
        special = (
            not self.plain
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE)
        )
        if special:
            return super().process_response(request, response)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if self.policy_report_only and "Content-Security-Policy-Report-Only" not in response:
            response["Content-Security-Policy-Report-Only"] = self.policy_report_only
        # As django-csp does: a nonce asked for after this point is an error, not a no-op.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
