"""Template context every page needs: the service name and whether this is the demo."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {"service_name": "maca", "demo_mode": settings.MACA_DEMO}
