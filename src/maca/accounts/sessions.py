"""Ending a person's sessions, for when their account is switched off."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from maca.accounts.models import User


def end_sessions(person: User) -> int:
    """Delete every unexpired session signed in as `person`, and return how many there were.

    A browser holding one is signed out on its very next request: its session is no longer there. maca keeps its
    sessions in the database (Django's default engine, which the settings leave as it is), so they can all be found
    here. Call it inside the transaction that switches the account off, so that both happen or neither does.
    """
    person_id = str(person.pk)
    # The person's id is inside each session's encoded data, so every open session is read to find theirs.
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == person_id
    ]
    Session.objects.filter(pk__in=theirs).delete()
    return len(theirs)
