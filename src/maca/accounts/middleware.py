"""Multi-factor authentication is enrolled at first log-in, before anything else can be opened."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from maca.accounts.mfa import second_factor_required

# What a signed-in person without a second factor may still open: the enrolment pages, and signing out.
ENROLMENT_URL_NAMES = frozenset(
    {
        "accounts:second_factor_required",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        # Someone who cannot finish setting up a second factor may need the accessibility statement's contact most.
        "accessibility",
    }
)


class RequireMultiFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and second_factor_required(user):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if match.view_name not in ENROLMENT_URL_NAMES:
                return redirect("accounts:second_factor_required")
        return self.get_response(request)
