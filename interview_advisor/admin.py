"""The admin site: Django's own, with a login form that refuses an impossible username, and a
second factor (a one-time code) after the password for every page."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import second_factor


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


def is_verified(user) -> bool:
    """Return whether this session's user passed the second factor (OTPMiddleware's flag;
    a user Django's login has just set on the request has not)."""
    return getattr(user, "is_verified", lambda: False)()


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def has_permission(self, request):
        """Open no admin page without a verified second factor."""
        return super().has_permission(request) and is_verified(request.user)

    def get_urls(self):
        view = never_cache(csrf_protect(self.second_factor))
        return [path("second-factor/", view, name="second_factor"), *super().get_urls()]

    def second_factor(self, request):
        if not request.user.is_authenticated:
            return redirect("admin:login")
        return second_factor.second_factor_view(request, self)

    def login(self, request, extra_context=None):
        """Log in with the password, then go on to the code (or to enrolment)."""
        user = request.user
        password_only = user.is_active and user.is_staff and not is_verified(user)
        if request.method == "GET" and password_only:
            return self.to_second_factor(request)
        response = super().login(request, extra_context)
        logged_in = request.method == "POST" and request.user.is_authenticated
        if logged_in and response.status_code == 302 and not is_verified(request.user):
            return self.to_second_factor(request)
        return response

    def to_second_factor(self, request):
        url = reverse("admin:second_factor", current_app=self.name)
        next_url = request.POST.get("next") or request.GET.get("next")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
