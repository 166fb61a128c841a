"""Sending e-mail without letting a mail server's failure break what the person was doing."""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage

logger = logging.getLogger("maca.mail")


def deliver(send: Callable[[], object], *, what: str) -> bool:
    """Run `send`; if the mail server fails, log it (with `what` was being sent) and return False.

    The change that caused the e-mail stays made: a person's action never fails because e-mail is down.
    """
    try:
        send()
    except OSError:  # smtplib.SMTPException and connection errors are all OSError
        logger.exception("Could not send %s", what)
        return False
    return True


def send_message(subject: str, body: str, to: list[str], *, what: str) -> bool:
    """Send a plain-text e-mail from the default sender; see `deliver`."""
    return deliver(lambda: EmailMessage(subject, body, None, to).send(), what=what)
