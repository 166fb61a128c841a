"""Model building blocks shared by every app."""

from django.db import models


class VersionedModel(models.Model):
    """A record that several people may edit: each saved change raises `version` (see `maca.common.versioning`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
