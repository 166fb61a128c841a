"""Every URL × every member of the cast: each gets exactly what `url_expectations` declares.

The first test fails when a URL has no declared expectation for someone (so a new page cannot land without one);
the others request every URL as every member and compare.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from maca.partnerships.models import AccessLogEntry, Agency, GovernanceGroup, Membership
from maca.tests.cast import CAST, Cast
from maca.tests.url_expectations import EXPECTATIONS, NAMESPACE_EXPECTATIONS, Expect, Outcome, Redirect


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def routes() -> Iterator[Route]:
    """Every URL pattern of the project, with its full name (namespace:name); unnamed ones as '<unnamed> route'."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = namespace + pattern.name if pattern.name else f"<unnamed> {route}"
                yield Route(name, route, tuple(pattern.pattern.regex.groupindex))

    return walk(get_resolver().url_patterns, "", "")


def outcomes_for(route: Route, expectations: dict[str, Expect] = EXPECTATIONS) -> dict[str, Outcome] | None:
    """The declared outcomes for a route: its own entry, or its namespace's."""
    if route.name in expectations:
        return expectations[route.name].outcomes
    namespace = route.name.split(":", 1)[0] if ":" in route.name else None
    if namespace in NAMESPACE_EXPECTATIONS:
        return NAMESPACE_EXPECTATIONS[namespace]
    return None


def missing_expectations(expectations: dict[str, Expect]) -> list[str]:
    """What the URLconf has that `expectations` does not declare for every member of the cast."""
    problems = []
    for route in routes():
        if route.name.startswith("<unnamed>"):
            if not any(route.pattern.startswith(f"{ns}/") for ns in NAMESPACE_EXPECTATIONS):
                problems.append(f"{route.name}: give the pattern a name and an expectation")
            continue
        declared = outcomes_for(route, expectations)
        if declared is None:
            problems.append(f"{route.name}: no expectation")
            continue
        missing = [member for member in CAST if member not in declared]
        if missing:
            problems.append(f"{route.name}: no expectation for {', '.join(missing)}")
    return problems


def test_every_url_has_an_expectation_for_every_member() -> None:
    assert missing_expectations(EXPECTATIONS) == []


def test_removing_an_expectation_fails_the_check() -> None:
    without_one = {name: expect for name, expect in EXPECTATIONS.items() if name != "partnerships:agency_edit"}
    assert missing_expectations(without_one) == ["partnerships:agency_edit: no expectation"]
    partial = dict(EXPECTATIONS)
    outcomes = dict(partial["partnerships:access_log"].outcomes)
    del outcomes["auditor_b"]
    partial["partnerships:access_log"] = Expect(outcomes)
    assert missing_expectations(partial) == ["partnerships:access_log: no expectation for auditor_b"]


def test_no_expectation_is_stale() -> None:
    names = {route.name for route in routes()}
    assert sorted(set(EXPECTATIONS) - names) == []


def _url(route: Route, cast: Cast) -> str:
    if route.name in EXPECTATIONS:
        return reverse(route.name, kwargs=EXPECTATIONS[route.name].kwargs(cast))
    # A namespace-wide expectation: any values that the pattern accepts will do.
    candidates = ["1", "auth"]
    for values in itertools.product(candidates, repeat=len(route.params)):
        try:
            return reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot make a URL for {route.name}")


def _matches(response: HttpResponseBase, expected: Outcome) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and response["Location"].startswith(expected.prefix)
    return response.status_code == expected


def _describe(response: HttpResponseBase) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


def _page_title(response: HttpResponseBase) -> str:
    """The text of the page's <title>, whitespace folded (screen readers announce it first)."""
    content: bytes = getattr(response, "content", b"")
    match = re.search(r"<title>(.*?)</title>", content.decode(), re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def _client(cast: Cast, member: str) -> Client:
    client = Client()
    user = cast[member]
    if user is not None:
        client.force_login(user)
    return client


NAMED_ROUTES = sorted({route.name for route in routes() if not route.name.startswith("<unnamed>")})


@pytest.mark.parametrize("name", NAMED_ROUTES)
def test_each_member_gets_what_is_expected(cast: Cast, name: str) -> None:
    route = next(route for route in routes() if route.name == name)
    expected = outcomes_for(route)
    assert expected is not None
    url = _url(route, cast)
    wrong = []
    for member in CAST:
        response = _client(cast, member).get(url)
        if not _matches(response, expected[member]):
            wrong.append(f"{member}: expected {expected[member]}, got {_describe(response)}")
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            title = _page_title(response)
            if not title or title.startswith(("–", "-")):
                wrong.append(f"{member}: the page has no title of its own ({title!r})")
    assert wrong == [], f"GET {url}"


REFUSALS = {403, 404, 405}
WRITING_ROUTES = sorted(name for name, expect in EXPECTATIONS.items() if expect.writes)


@pytest.mark.parametrize("name", WRITING_ROUTES)
def test_those_refused_cannot_write_either(cast: Cast, name: str) -> None:
    """A POST from someone who may not open the page is refused the same way and changes nothing."""
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=expect.kwargs(cast))
    counts = [model.objects.count() for model in (Agency, GovernanceGroup, Membership, AccessLogEntry)]
    for member, outcome in expect.outcomes.items():
        if outcome not in REFUSALS and member != "anonymous":
            continue
        response = _client(cast, member).post(url, {"name": "Changed", "short_code": "CHG", "role": "coordinator"})
        assert _matches(response, outcome), f"POST {url} as {member}: expected {outcome}, got {_describe(response)}"
    assert [model.objects.count() for model in (Agency, GovernanceGroup, Membership, AccessLogEntry)] == counts
