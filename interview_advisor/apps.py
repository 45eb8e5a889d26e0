from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """``django.contrib.admin`` with the site in ``interview_advisor.admin``."""

    default_site = "interview_advisor.admin.AdminSite"
