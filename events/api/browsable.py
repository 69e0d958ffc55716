"""DRF's browsable API, for people reading the API in a browser."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's pages, under the site's CSP. A view that reads through a selector rather than its filter backends (the
    timeline, the conflicts, a record's heads) shows no filter form: DRF's would ask it for a queryset it lacks."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        # Where Pygments is installed DRF inlines its stylesheet, which the CSP (no 'unsafe-inline') refuses.
        context["code_style"] = None
        return context

    def get_filter_form(self, data, view, request):
        if not getattr(view, "filter_backends", None):
            return None
        return super().get_filter_form(data, view, request)
