from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from interview_advisor.second_factor import second_factor_reset


class Command(BaseCommand):
    help = (
        "Delete an admin account's authenticator app and backup codes (a lost phone): at its "
        "next login it sets up a new app."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's email address (its username).")

    def handle(self, *args, email, **options):
        User = get_user_model()
        lookup = {f"{User.USERNAME_FIELD}__iexact": email.strip()}
        user = User._default_manager.filter(**lookup).first()
        if user is None:
            raise CommandError(f"There is no account for {email}.")
        count = second_factor_reset(user=user)
        self.stdout.write(
            f"Deleted {count} device(s) of {user.get_username()}. At the next login they scan a "
            "new QR code with their authenticator app and get new backup codes."
        )
