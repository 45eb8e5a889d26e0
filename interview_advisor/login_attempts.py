"""django-axes's database handler, keeping a failed login's record to a bounded size."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models.functions import Right

# django-axes records at most this many characters of each attempt's query string and form
# fields, and appends them to the row of every earlier attempt by the same client.
KEPT_CHARACTERS = 1024


class BoundedAttemptHandler(AxesDatabaseHandler):
    """Keep only the latest attempt's query string and form fields in an attempt's row.

    Otherwise every failed login, refused ones during a lockout included, adds about 2 KB to
    one row, and rewriting the growing row each time costs the database quadratically.
    """

    def post_save_access_attempt(self, instance, **kwargs):
        # Inside the transaction that saved the row; an update sends no post_save of its own.
        AccessAttempt.objects.filter(pk=instance.pk).update(
            get_data=Right("get_data", KEPT_CHARACTERS),
            post_data=Right("post_data", KEPT_CHARACTERS),
        )
