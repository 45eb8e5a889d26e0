from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from advice.tallies import recount


def day(value: str):
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise CommandError(f"“{value}” is not a date; dates look like 2026-03-31.")
    return parsed


class Command(BaseCommand):
    help = (
        "Count the summary's daily tallies again from the saved assessments: every day, or "
        "the days from --from to --to. Run it after restoring a backup, after changing "
        "assessments with SQL, or after changing DJANGO_TIME_ZONE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="first", metavar="DAY", help="First day, e.g. 2026-03-01."
        )
        parser.add_argument("--to", dest="last", metavar="DAY", help="Last day, included.")

    def handle(self, *args, first=None, last=None, **options):
        first_day = first and day(first)
        last_day = last and day(last)
        if first_day and last_day and first_day > last_day:
            raise CommandError("--from must not be after --to.")
        days = recount(first_day, last_day)
        if first_day or last_day:
            span = f"the days from {first_day or 'the first'} to {last_day or 'the last'}"
        else:
            span = "every day"
        self.stdout.write(f"Recounted the tallies of {span}: {days} days have assessments.")
