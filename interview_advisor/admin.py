"""The admin site: Django's own, with a login form that refuses an impossible username."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    """Refuse a username longer than the user model allows, before authentication runs.

    Django's form gives the field the model's ``max_length`` (150) for the browser only, with
    no validator behind it. A longer username reached django-axes, whose column holds 255
    characters: on PostgreSQL the failed login was a 500 and went uncounted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
