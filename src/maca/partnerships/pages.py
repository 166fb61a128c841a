"""What every page inside a partnership needs: the partnership for this user, and breadcrumbs that start from it."""

from django.http import HttpRequest
from django.urls import reverse

from maca.common.scoping import get_for_user
from maca.partnerships.models import Partnership
from maca.partnerships.selectors import partnerships_visible_to


def partnership_for(request: HttpRequest, slug: str, perm: str | None = None) -> Partnership:
    """The partnership named in the URL, if the user is a member (404 otherwise), holding `perm` if given (403).

    It also becomes the page's current partnership, shown in the header with the navigation of the user's roles.
    """
    partnership = get_for_user(request.user, partnerships_visible_to, perm=perm, slug=slug)
    request.current_partnership = partnership  # type: ignore[attr-defined]
    return partnership


def partnership_crumbs(partnership: Partnership, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """Home › the partnership › trail (text, link; the current page has no link)."""
    crumbs = [
        {"text": "Home", "href": reverse("home")},
        {"text": partnership.name, "href": reverse("partnerships:detail", args=[partnership.slug])},
    ]
    return crumbs + [{"text": text, "href": href} for text, href in trail]
