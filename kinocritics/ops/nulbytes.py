"""Refuse addresses carrying NUL characters before any view sees them."""

from django.http import HttpResponseBadRequest

MESSAGE = (
    "This address contains a NUL character (%00), which no page on KinoCritics uses. "
    "Please check the link."
)


class RejectNulBytesMiddleware:
    """A 400 for `%00` in the path or query string.

    No link of ours has one, and PostgreSQL cannot compare text with it: every view filtering
    on a query parameter would otherwise fail with a database error (a 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
