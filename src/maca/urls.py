"""maca's URLs."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.urls import include, path

from maca.accounts import views as account_views
from maca.common import views as common_views
from maca.partnerships import views as partnership_views


def _admin_has_permission(request: HttpRequest) -> bool:
    """The Django admin is for superusers only: it is not the way people work."""
    user: Any = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
# Log in to the admin through the ordinary log-in, so that the second factor is asked for there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "maca administration"
admin.site.site_title = "maca administration"

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("accessibility/", common_views.accessibility, name="accessibility"),
    path("p/", include("maca.partnerships.urls")),
    path("", include("maca.audits.urls")),
    path("", include("maca.cases.urls")),
    path("", include("maca.returns.urls")),
    path("", include("maca.selfassessment.urls")),
    path("", include("maca.analysis.urls")),
    path("", include("maca.findings.urls")),
    path("", include("maca.outputs.urls")),
    path("", include("maca.retention.urls")),
    path("account/", include("maca.accounts.urls")),
    # Before allauth's own page at this address, which would let people add sign-in addresses themselves.
    path("accounts/email/", account_views.email_address_managed, name="account_email_managed"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
