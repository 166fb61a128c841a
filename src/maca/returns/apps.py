from typing import Any

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "maca.returns"
    label = "returns"
    verbose_name = "Agency returns"

    def ready(self) -> None:
        from maca.cases.models import Case
        from maca.cases.signals import case_changed

        from .services import sync_case_returns

        def on_case_changed(sender: Any, case: Case, **kwargs: Any) -> None:
            sync_case_returns(case)

        case_changed.connect(on_case_changed, sender=Case, dispatch_uid="returns.sync_case_returns", weak=False)
