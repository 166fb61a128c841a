"""The one way to fetch a single object for a user.

Reads of scoped data start from a selector that takes the user and returns what that user may see. A single
object comes from `get_for_user`, which answers 404 when the object is outside the user's reach (so outsiders
cannot even learn it exists) and 403 when the user may see it but lacks the permission asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from maca.accounts.models import User

M = TypeVar("M", bound=Model)


def get_for_user(
    user: User | AnonymousUser, selector: Callable[[User], QuerySet[M]], /, *, perm: str | None = None, **lookups: Any
) -> M:
    """The object matching `lookups` among `selector(user)`; Http404 if none, PermissionDenied if `perm` is not held."""
    if not user.is_authenticated:
        raise Http404
    visible = selector(user)
    try:
        obj = visible.get(**lookups)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if perm is not None and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def require_perm(actor: User, perm: str, obj: Any = None) -> None:
    """Refuse (PermissionDenied, saying who and what) an actor who lacks `perm` on `obj`, or whose account is inactive.

    Every write service asks this itself, with the permission its page asks, so that pages, commands and the API
    cannot disagree about who may do what: a page's own check only decides between 404 and 403 first.
    """
    if not actor.is_active or not actor.has_perm(perm, obj):
        raise PermissionDenied(f"{actor.email} may not do this ({perm.split('.', 1)[1].replace('_', ' ')}).")
