"""Every write service enforces its own rules: each is called, in a test of its app's `test_service_rules.py`, by an
actor (or in a state) its page would refuse, and refuses.

A write service is a public function of an app's service modules that takes a keyword-only `actor`. Each app's
`tests/test_service_rules.py` names the services it proves in `REFUSED_SERVICES`; this test fails when a write
service is named by none, so a new one cannot land without its refusals tested.
"""

import importlib
import inspect
import pkgutil
from types import ModuleType

import maca

SERVICE_MODULES = ("services", "editing", "importing", "workbook.build", "workbook.importing")
# Functions that take an actor to record what they did, not to change anything: nothing to refuse.
RECORDERS = {
    "maca.partnerships.services.access_log_record",
    "maca.findings.services.base.record_view",
    "maca.selfassessment.services.record_view",
}


def _modules() -> list[ModuleType]:
    found = []
    for app in pkgutil.iter_modules(maca.__path__):
        for name in SERVICE_MODULES:
            try:
                module = importlib.import_module(f"maca.{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            found.append(module)
            if hasattr(module, "__path__"):  # a package of services
                found += [
                    importlib.import_module(f"{module.__name__}.{sub.name}")
                    for sub in pkgutil.iter_modules(module.__path__)
                ]
    return found


def write_services() -> set[str]:
    """The dotted names of every write service of maca."""
    names = set()
    for module in _modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            actor = inspect.signature(function).parameters.get("actor")
            if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
                names.add(f"{function.__module__}.{name}")
    return names - RECORDERS


def proven() -> set[str]:
    names: set[str] = set()
    for app in pkgutil.iter_modules(maca.__path__):
        try:
            module = importlib.import_module(f"maca.{app.name}.tests.test_service_rules")
        except ModuleNotFoundError:
            continue
        names |= set(getattr(module, "REFUSED_SERVICES", ()))
    return names


def test_every_write_service_is_called_with_an_actor_or_state_its_page_refuses() -> None:
    services = write_services()
    assert len(services) > 40
    assert sorted(services - proven()) == []
    assert sorted(proven() - services) == []
