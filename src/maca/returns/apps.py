from typing import Any

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "maca.returns"
    label = "returns"
    verbose_name = "Agency returns"

    def ready(self) -> None:
        from maca.cases.models import Case
        from maca.cases.signals import case_changed
        from maca.common import reminders

        from .reminders import PREFIX, return_is_submitted, returns_due_for_reminders
        from .services import sync_case_returns

        reminders.register_source(PREFIX, due=returns_due_for_reminders, is_submitted=return_is_submitted)

        def on_case_changed(sender: Any, case: Case, **kwargs: Any) -> None:
            sync_case_returns(case)

        case_changed.connect(on_case_changed, sender=Case, dispatch_uid="returns.sync_case_returns", weak=False)
