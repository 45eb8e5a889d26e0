"""The admin's second step: a one-time code from an authenticator app, or a backup code.

A staff account with a password and no confirmed device enrols here after the password: it
scans a QR code, confirms it with a code, and gets 10 backup codes, shown once. A wrong code
counts towards the django-axes lockout as a wrong password does. After a wrong code,
django-otp checks no code for a while (1 s, then 2, 4 ...); a code sent then is not checked,
so it is neither accepted nor counted as a failure, and the page says how long to wait.
"""

import base64
import math
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
# The session key that holds the id of the device this session is setting up.
ENROLLING = "second_factor_enrolling"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def wait_seconds(devices) -> int:
    """How many seconds until django-otp checks codes for these devices again (0: now)."""
    until = [
        details["locked_until"]
        for allowed, details in (device.verify_is_allowed() for device in devices)
        if not allowed and details and "locked_until" in details
    ]
    if not until:
        return 0
    return max(1, math.ceil((max(until) - timezone.now()).total_seconds()))


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too soon after a wrong code. Wait {seconds} {unit}, then try again."


def second_factor_reset(*, user) -> int:
    """Delete every device of ``user``, confirmed or not; return how many there were."""
    devices = list(django_otp.devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)


def backup_codes_create(*, user) -> list[str]:
    """Replace the user's backup codes with new ones; return them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def qr_code_data_uri(text: str) -> str:
    """Return ``text`` as a QR code, an SVG in a data: URI (no inline style, no Pillow)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("admin:index")


def credentials(request) -> dict:
    return {"username": request.user.get_username()}


def refused(request):
    """Count a wrong code as django-axes counts a wrong password; return the lockout page
    when that was one too many (the session is then logged out)."""
    user_login_failed.send(sender=__name__, credentials=credentials(request), request=request)
    if AxesProxyHandler.is_allowed(request, credentials(request)):
        return None
    return locked_out(request)


def locked_out(request):
    creds = credentials(request)
    logout(request)
    return get_lockout_response(request, credentials=creds)


def second_factor_view(request, site):
    """Ask for a code; or enrol a user who has no device yet."""
    user = request.user
    if request.method == "POST" and "log_out" in request.POST:
        # Django's admin logout, like every admin page, needs the second factor first.
        logout(request)
        return redirect("admin:login")
    if not (user.is_active and user.is_staff):
        return redirect("admin:login")
    if django_otp.user_has_device(user):
        if getattr(user, "is_verified", lambda: False)():
            return redirect(next_url(request))
        return code_step(request, site)
    return enrol_step(request, site)


def code_step(request, site):
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials(request)):
            return locked_out(request)
        wait = wait_seconds(django_otp.devices_for_user(request.user))
        if wait:
            form.add_error(None, wait_message(wait))
        elif form.is_valid():
            device = django_otp.match_token(request.user, form.cleaned_data["code"].strip())
            if device is not None:
                verified(request, device)
                return redirect(next_url(request))
            form.add_error("code", "That code is not right, or has already been used.")
        if not wait:
            lockout = refused(request)
            if lockout is not None:
                return lockout
    context = {
        **site.each_context(request),
        "title": "Enter your code",
        "form": form,
        "next": next_url(request),
    }
    return TemplateResponse(request, "admin/second_factor.html", context)


def verified(request, device) -> None:
    """Mark the session as past the second factor, under a new session key: a copy of the
    cookie taken before the code was typed is worth nothing after it."""
    django_otp.login(request, device)
    request.session.cycle_key()


def enrol_step(request, site):
    # The key being set up belongs to this session: another session with the same password
    # gets a key of its own, which confirming this one leaves useless. Kept across reloads so
    # the QR code stays the same.
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, pk=request.session.get(ENROLLING)
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="authenticator app", confirmed=False
        )
        request.session[ENROLLING] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials(request)):
            return locked_out(request)
        wait = wait_seconds([device])
        if wait:
            form.add_error(None, wait_message(wait))
        elif form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                codes = backup_codes_create(user=request.user)
            del request.session[ENROLLING]
            verified(request, device)
            context = {
                **site.each_context(request),
                "title": "Your backup codes",
                "codes": codes,
                "next": next_url(request),
            }
            return TemplateResponse(request, "admin/second_factor_codes.html", context)
        if not wait:
            form.add_error("code", "That code is not right. Check the app and try again.")
            lockout = refused(request)
            if lockout is not None:
                return lockout
    secret = b32encode(device.bin_key).decode()
    context = {
        **site.each_context(request),
        "title": "Set up your authenticator app",
        "form": form,
        "qr_code": qr_code_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": next_url(request),
    }
    return TemplateResponse(request, "admin/second_factor_enrol.html", context)
