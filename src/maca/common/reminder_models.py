"""What reminders maca has sent: the record that makes each automatic reminder go out once (see reminders.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SentReminder(models.Model):
    """One reminder e-mail: to whom, about what (`key`, e.g. "return:42"), at which stage, and whether it went.

    An automatic reminder is sent at most once per (key, recipient, stage): a unique constraint holds that even when
    two workers run at once. A reminder sent by hand (`by_hand`, by `sent_by`) may be sent again.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not delivered"

    key = models.CharField(max_length=100, help_text='What is being chased, for example "return:42".')
    stage = models.CharField(max_length=60, help_text='For example "due:2025-05-12" or "overdue-7:2025-05-12".')
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    by_hand = models.BooleanField("sent by hand", default=False)
    # Kept apart from `by_hand`: deleting the account that sent it must not turn it into an automatic reminder.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("last attempted", default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "stage"],
                condition=Q(by_hand=False),
                name="common_reminder_once_per_stage",
            )
        ]
        indexes = [models.Index(fields=["partnership", "key"])]

    def __str__(self) -> str:
        return f"Reminder {self.key} ({self.stage}): {self.subject}"
