"""Account pages of maca's own (allauth provides log-in, passwords and the second-factor pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from maca.accounts.mfa import second_factor_required


@login_required
def second_factor_required_view(request: HttpRequest) -> HttpResponse:
    """Explains why a second factor is needed and offers the ways to set one up."""
    if not second_factor_required(request.user):  # type: ignore[arg-type]
        return redirect("home")
    return render(request, "accounts/second_factor_required.html", {"title": "Set up two-factor authentication"})


@login_required
def email_address_managed(request: HttpRequest) -> HttpResponse:
    """People do not change or add their own sign-in addresses: the partnership's coordinator manages them."""
    messages.info(
        request, "Your e-mail address is managed by your partnership’s coordinator. Ask them if it needs to change."
    )
    return redirect("mfa_index")
