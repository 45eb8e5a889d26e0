"""Values every page may show: who runs the service and how long it keeps answers."""

from django.conf import settings


def service(request):
    return {
        "service_operator": settings.ADVICE_OPERATOR,
        "retention_days": settings.ADVICE_RETENTION_DAYS,
    }
