"""FilterSets copy their declared filters per use: each copy answers to its own set, none to another's."""

from django.http import QueryDict

from events.api.filters import MeetingFilter, TimelineFilter
from events.models import Meeting


def test_each_filter_set_binds_its_own_filters_and_leaves_the_declared_ones_alone():
    first, second = MeetingFilter(QueryDict("q=a")), MeetingFilter(QueryDict("q=b"))
    for filter_set in (first, second):
        assert set(filter_set.filters) == set(MeetingFilter.base_filters)
        for name, flt in filter_set.filters.items():
            assert flt is not MeetingFilter.base_filters[name]
            assert (flt.parent, flt.model) == (filter_set, Meeting)
    # A filter method named by string resolves on the set that owns the copy.
    assert first.filters["agency"].filter.method.__self__ is first
    assert second.filters["agency"].filter.method.__self__ is second
    assert all(getattr(flt, "parent", None) is None for flt in MeetingFilter.base_filters.values())


def test_the_form_class_is_built_once_per_filter_set_class_and_forms_stay_apart():
    bad, good = MeetingFilter(QueryDict("date_after=soon")), MeetingFilter(QueryDict("date_after=2025-01-01"))
    assert type(bad.form) is type(good.form)
    assert not bad.is_valid()
    assert "date_after" in bad.errors
    assert good.is_valid(), good.errors
    timeline = TimelineFilter(QueryDict(), queryset=Meeting.objects.none())
    assert type(timeline.form) is not type(good.form)  # each class has its own
    assert set(timeline.form.fields) == set(TimelineFilter.base_filters)
