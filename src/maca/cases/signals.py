"""Signals of the cases app, for the later steps of the lifecycle that depend on cases.

`case_changed` is sent inside the transaction of a change to a case's decision or to the agencies involved with it
(`sender=Case`, `case=` the case). A receiver may raise ValidationError to refuse the change: the transaction is
then rolled back and the person who made the change reads the message.
"""

from django.dispatch import Signal

case_changed = Signal()
