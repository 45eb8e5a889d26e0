"""Values every page may show: who runs the service, their contact, how long answers are kept."""

from django.conf import settings


def service(request):
    contact = settings.ADVICE_CONTACT
    return {
        "service_operator": settings.ADVICE_OPERATOR,
        "service_contact": contact,
        "service_contact_url": contact if contact.startswith("https://") else f"mailto:{contact}",
        "retention_days": settings.ADVICE_RETENTION_DAYS,
    }
