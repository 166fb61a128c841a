"""The analysis of a large audit: 200 cases and 15 agencies (3,000 returns) renders in as many queries as the
analysis of a small one. How long it takes is for the benchmarks (`make bench`), never a test."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.analysis.report import analysis_of
from maca.tests.cast import Cast

from .builders import add_agencies, fill, make_analysis_audit

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def test_200_cases_and_15_agencies(client_for: ClientFor, cast: Cast) -> None:
    agencies = add_agencies(cast, 15)
    client = client_for("coordinator")
    small = make_analysis_audit(cast)
    fill(small, cast, cases=2, agencies=agencies[:2])
    url = reverse("analysis:overview", args=[small.reference])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    small.delete()

    large = make_analysis_audit(cast)
    fill(large, cast, cases=200, agencies=agencies)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    analysis = analysis_of(large)
    assert (analysis.cohort.size, len(analysis.data.returns), len(analysis.data.agencies)) == (200, 3000, 15)
