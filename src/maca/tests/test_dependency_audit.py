"""The dependency audit says what it checked: a clean result only when every package was checked, "skipped" with
the reason when the advisory service could not be reached, and a failure when a vulnerability was found."""

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "dependency-audit"


def _script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("dependency_audit", str(SCRIPT))
    spec = importlib.util.spec_from_loader("dependency_audit", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# What pip-audit printed on a machine whose package mirror does not serve PyPI's per-release advisories.
UNREACHABLE = (
    "WARNING:pip_audit._cli:--no-deps is supported, but users are encouraged to fully hash their pinned dependencies\n"
    "ERROR:pip_audit._cli:annotated-types: Dependency not found on PyPI and could not be audited: "
    "annotated-types (0.8.0)\n"
)
NO_NETWORK = "ERROR: ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded\n"
CLEAN = "No known vulnerabilities found\n"
FOUND = (
    "Found 1 known vulnerability in 1 package\n"
    "Name    Version ID           Fix Versions\n"
    "example 1.0     PYSEC-0000-1 1.1\n"
)


def test_an_unreachable_service_is_a_skip_with_its_reason_never_a_clean_result() -> None:
    audit = _script()
    for output in (UNREACHABLE, NO_NETWORK):
        result = audit.verdict(1, output, 42)
        assert result.status == 0
        assert result.message.startswith("Dependency audit SKIPPED")
        assert "none of the 42 locked packages was checked" in result.message
        assert "This is not a clean result" in result.message
        assert "no known vulnerability" not in result.message
    assert "annotated-types (0.8.0)" in audit.verdict(1, UNREACHABLE, 42).message


def test_a_clean_audit_and_a_vulnerability() -> None:
    audit = _script()
    clean = audit.verdict(0, CLEAN, 42)
    assert (clean.status, clean.message) == (0, "Dependency audit: 42 locked packages checked; no known vulnerability.")
    found = audit.verdict(1, FOUND, 42)
    assert found.status == 1
    assert "PYSEC-0000-1" in found.message
