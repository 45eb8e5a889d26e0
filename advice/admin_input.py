"""What every admin list takes from a request: only what the admin's own pages send.

Django's list takes any lookup on the model's fields from the query string (a regular
expression, a year beyond the calendar), and an action any selected id. The database then
fails on them, which the site answers with a 500, or with the 503 that says it is down.
"""

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.shortcuts import redirect

# The lookups Django's filters for a field send: the value itself (all values), exact
# (choices, yes or no), the two ends of a range (dates), empty or not.
FIELD_FILTER_LOOKUPS = ("", "__exact", "__isnull", "__gte", "__lt", "__isempty")
DATE_HIERARCHY_LOOKUPS = ("__year", "__month", "__day")


class StrictInput:
    """A ModelAdmin mixin: refuse lookups outside the list's own filters, a query string the
    database cannot run, and a selection of ids the primary key cannot hold."""

    def list_parameters(self, request) -> set[str]:
        """Return the query parameters the list's filters and its date hierarchy send."""
        parameters = set()
        for list_filter in self.get_list_filter(request):
            if isinstance(list_filter, type):
                # A filter class of its own; one that is not a SimpleListFilter has no
                # parameter to name here, and its admin says what it takes.
                if issubclass(list_filter, admin.SimpleListFilter):
                    parameters.add(list_filter.parameter_name)
                continue
            path = list_filter[0] if isinstance(list_filter, tuple | list) else list_filter
            parameters.update(f"{path}{lookup}" for lookup in FIELD_FILTER_LOOKUPS)
            field = get_fields_from_path(self.model, path)[-1]
            if field.is_relation:
                parameters.add(f"{path}__{field.target_field.name}__exact")
        if self.date_hierarchy:
            parameters.update(f"{self.date_hierarchy}{part}" for part in DATE_HIERARCHY_LOOKUPS)
        return parameters

    def lookup_allowed(self, lookup, value, request):
        """Allow only what the list's filters send (Django takes any lookup on the model's
        fields, a regex included), and no NUL, which PostgreSQL refuses."""
        return lookup in self.list_parameters(request) and "\x00" not in value

    def get_changelist_instance(self, request):
        """Return the list, or raise IncorrectLookupParameters for a query string it cannot
        take, which the admin answers with the plain list (``?e=1``)."""
        try:
            # The list counts its rows here. A savepoint, so that the database refusing the
            # query leaves a surrounding transaction usable.
            with transaction.atomic():
                return super().get_changelist_instance(request)
        except DisallowedModelAdminLookup as error:  # left out like any filter it cannot read
            raise IncorrectLookupParameters(error) from error
        except (DatabaseError, ValueError, OverflowError) as error:
            # A value the database refused (a regular expression that does not compile, a NUL
            # on PostgreSQL), or one no datetime holds (a year beyond the calendar).
            raise IncorrectLookupParameters(error) from error

    def changelist_view(self, request, extra_context=None):
        if ERROR_FLAG in request.GET and set(request.GET) != {ERROR_FLAG}:
            # The admin marks a list address it has already corrected with e=1, and answers
            # a second bad one with a page about a broken database installation. Only a
            # hand-made address gets here: show the plain list instead.
            return redirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        """Refuse a selection that is not a list of ids the primary key can hold: Django's own
        code would give a 500, or cut a download short."""
        pk = self.opts.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                pk.run_validators(pk.to_python(value))
        except ValidationError:
            self.message_user(request, "The selection was not understood.", messages.WARNING)
            return None  # the changelist then redirects back to itself
        return super().response_action(request, queryset)
