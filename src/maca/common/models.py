"""Model building blocks shared by every app."""

from django.db import models

# Defined in its own module; imported here so that Django finds it.
from maca.common.reminder_models import SentReminder as SentReminder


class VersionedModel(models.Model):
    """A record that several people may edit: each saved change raises `version` (see `maca.common.versioning`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
