"""Download what's new: each reviewer's downloads of the list move a mark, and "what's new"
is what was saved after it.

The mark is the newest assessment's id when the reviewer last downloaded the list, with any
filters. A download covers what was saved up to its own start, so an assessment saved while
a download runs is in the next "what's new", once. The first time, everything is new.
"""

from datetime import datetime

from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import Assessment, DownloadMark


def mark_of(user) -> tuple[int, datetime | None]:
    """Return the newest id ``user`` has downloaded, and when (0 and None: never)."""
    mark = DownloadMark.objects.filter(user=user).values_list("last_id", "downloaded_at").first()
    return mark or (0, None)


def download(queryset: QuerySet, user, *, only_new: bool = False) -> QuerySet:
    """Return what a download of ``queryset`` by ``user`` sends, and move their mark to it."""
    newest = Assessment.objects.aggregate(newest=Max("pk"))["newest"] or 0
    # The mark moves before the rows are read (as they are sent), so the query names both
    # ends by value.
    sent = queryset.filter(pk__lte=newest)
    if only_new:
        sent = sent.filter(pk__gt=mark_of(user)[0])
    DownloadMark.objects.bulk_create(
        [DownloadMark(user=user, last_id=newest, downloaded_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_id", "downloaded_at"],
    )
    return sent
