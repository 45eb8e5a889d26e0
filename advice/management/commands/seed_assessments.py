import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from advice.demo import demo_answers
from advice.models import Assessment, new_result_token, to_the_hour
from advice.services import assessment_create

BATCH = 500


class Command(BaseCommand):
    help = (
        "Create demo assessments with realistic, varied answers, saved through the same "
        "write path as the questionnaire, and spread over recent weeks. For demos and "
        "benchmarks only: their result links are not kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=100, help="How many to create (default %(default)s)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="Spread their dates over the last DAYS days (default %(default)s; 0 for now).",
        )
        parser.add_argument(
            "--seed", type=int, help="Seed for the random answers, for repeatable data."
        )

    def handle(self, *args, count, days, seed=None, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if days < 0:
            raise CommandError("--days must be zero or more.")
        rng = random.Random(seed)
        now = timezone.now()
        created = 0
        while created < count:
            with transaction.atomic():
                batch = [
                    assessment_create(answers=demo_answers(rng), token=new_result_token())[0]
                    for _ in range(min(BATCH, count - created))
                ]
                if days:
                    for assessment in batch:
                        age = timedelta(seconds=rng.uniform(0, days * 86400))
                        assessment.created_at = to_the_hour(now - age)
                    Assessment.objects.bulk_update(batch, ["created_at"])
            created += len(batch)
        spread = f" over the last {days} days" if days else ""
        self.stdout.write(f"Created {created} demo assessments{spread}.")
