"""The admin's own Content-Security-Policy; public pages keep the strict SECURE_CSP."""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Hands ADMIN_CSP to Django's CSP middleware for the admin paths.

    Sits after `django.middleware.csp.ContentSecurityPolicyMiddleware` in MIDDLEWARE, so the
    policy is chosen here and the header is written there. A view that set its own policy
    (`csp_override`) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(settings.ADMIN_CSP_PATHS) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = settings.ADMIN_CSP
        return response
