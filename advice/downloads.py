"""Download what's new: the assessments saved since this reviewer last downloaded what was
new in the list with the same filters.

Each reviewer has a mark per set of filters: the newest assessment's id at their last
"download what's new" with them. Only that download, a POST from the list's button, moves
it; the list's other downloads and a selection's download leave it alone. A download covers
what was saved up to its own start, so an assessment saved while one runs comes in the next,
once. The first time with a set of filters, everything is new.
"""

import hashlib
from datetime import datetime

from django.db.models import Max, QuerySet
from django.http import QueryDict
from django.utils import timezone

from .models import Assessment, DownloadMark

# Parameters that page or sort the list without changing what it selects.
NOT_FILTERS = ("p", "o", "e")


def filters_key(query: QueryDict) -> str:
    """Return the key of the filters ``query`` names, whatever their order."""
    pairs = sorted(
        (name, value)
        for name, values in query.lists()
        if name not in NOT_FILTERS
        for value in values
    )
    return hashlib.sha256(repr(pairs).encode()).hexdigest()


def mark_of(user, filters: str) -> tuple[int, datetime | None]:
    """Return the newest id ``user`` has downloaded as new with ``filters``, and when (0 and
    None: never)."""
    mark = DownloadMark.objects.filter(user=user, filters=filters)
    return mark.values_list("last_id", "downloaded_at").first() or (0, None)


def download_new(queryset: QuerySet, user, filters: str) -> QuerySet:
    """Return what is new in ``queryset`` for ``user`` with ``filters``, and move the mark."""
    newest = Assessment.objects.aggregate(newest=Max("pk"))["newest"] or 0
    last_id, _ = mark_of(user, filters)
    # The mark moves before the rows are read (as they are sent), so the query names both
    # ends by value.
    sent = queryset.filter(pk__gt=last_id, pk__lte=newest)
    DownloadMark.objects.bulk_create(
        [DownloadMark(user=user, filters=filters, last_id=newest, downloaded_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "filters"],
        update_fields=["last_id", "downloaded_at"],
    )
    return sent
