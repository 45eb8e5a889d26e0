"""Download what's new: each reviewer's downloads of the list move a mark, and "what's new"
is what was saved after it.

The mark is the newest assessment's id when the reviewer last downloaded the list, with any
filters. A download covers what was saved up to its own start, so an assessment saved while
a download runs is in the next "what's new", once. The first time, everything is new.
"""

from django.db.models import Max, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Assessment, DownloadMark


def _mark(user):
    """The reviewer's mark, as an expression a query can compare ids with (0: none yet)."""
    last = DownloadMark.objects.filter(user=user).values("last_id")[:1]
    return Coalesce(Subquery(last), Value(0))


def new_for(queryset: QuerySet, user) -> QuerySet:
    """Return the assessments of ``queryset`` saved since ``user``'s last download."""
    return queryset.filter(pk__gt=_mark(user))


def download(queryset: QuerySet, user, *, only_new: bool = False) -> QuerySet:
    """Return what a download of ``queryset`` by ``user`` sends, and move their mark to it."""
    newest = Assessment.objects.aggregate(newest=Max("pk"))["newest"] or 0
    mark = DownloadMark.objects.filter(user=user).values_list("last_id", flat=True).first()
    # The mark moves before the rows are read (as they are sent), so the query names both
    # ends by value.
    sent = queryset.filter(pk__lte=newest)
    if only_new:
        sent = sent.filter(pk__gt=mark or 0)
    DownloadMark.objects.bulk_create(
        [DownloadMark(user=user, last_id=newest)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_id"],
    )
    return sent
