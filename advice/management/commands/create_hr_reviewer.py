import getpass
import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from advice.models import HR_REVIEWER_GROUP


class Command(BaseCommand):
    help = (
        "Create an admin account for HR staff: it can view saved assessments, record reviews "
        "and see the summary, and nothing else. The email address is also the username."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The reviewer's email address; they log in with it.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for a password: make up a strong one and print it once.",
        )

    def handle(self, *args, email, interactive=True, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not a valid email address.") from error
        User = get_user_model()
        if User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": email}).exists():
            raise CommandError(f"There is already an account for {email}.")
        try:
            group = Group.objects.get(name=HR_REVIEWER_GROUP)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The “{HR_REVIEWER_GROUP}” group is missing: run `manage.py migrate` first."
            ) from error

        user = User(**{User.USERNAME_FIELD: email}, email=email, is_staff=True)
        ask = interactive and sys.stdin.isatty()
        password = self.ask_password(user) if ask else secrets.token_urlsafe(15)
        user.set_password(password)
        user.save()
        user.groups.add(group)

        self.stdout.write(f"Created HR reviewer {email}.")
        if not ask:
            self.stdout.write(f"Password (shown only this once): {password}")
        self.stdout.write(
            "Log in at /admin/ with the email address as the username. At the first login the "
            "admin asks them to scan a QR code with an authenticator app on their phone and "
            "type the code it shows; they get 10 backup codes, shown once. Every later login "
            "asks for a code from the app after the password. A lost phone: "
            f"`manage.py reset_second_factor {email}`."
        )

    def ask_password(self, user) -> str:
        """Ask for a password twice until it matches and passes the password rules."""
        while True:
            try:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
            except KeyboardInterrupt as error:
                raise CommandError("Cancelled; no account was created.") from error
            if password != again:
                self.stderr.write("The passwords did not match. Try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
