"""Log a test client in past the admin's second factor, and make codes as the app would."""

from django.contrib.sessions.backends.base import SessionBase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    """Return a confirmed authenticator app for ``user``, as enrolment leaves it."""
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def code(device: TOTPDevice) -> str:
    """Return the code the authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in_verified(client, user) -> TOTPDevice:
    """Log ``client`` in as ``user``, past the second factor, as django_otp.login leaves it."""
    client.force_login(user)
    device = confirmed_device(user)
    session: SessionBase = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
