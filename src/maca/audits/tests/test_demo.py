"""The demo audit: loaded from the template library into the demo partnership, approved, and rendered as the seed
Terms of Reference in every format."""

import dataclasses
import html
from pathlib import Path

import pytest
from django.core.management import call_command

from maca.audits.documents import tor_document_for
from maca.audits.models import Audit, AuditStatus
from maca.audits.tests.test_tor_render import article, hsb
from maca.audits.tests.tor_helpers import (
    assert_in_order,
    html_running_text,
    libreoffice_convert,
    normalise,
    pdf_text,
    running_text,
    seed_expectations,
)
from maca.audits.tor.render import render

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_audit() -> Audit:
    call_command("load_demo")
    return Audit.objects.get(reference="torbay-hsb-2021")


def test_the_demo_audit_is_approved_and_led_by_the_demo_audit_lead(demo_audit: Audit) -> None:
    assert demo_audit.status == AuditStatus.APPROVED
    assert demo_audit.lead is not None
    assert demo_audit.lead.email == "audit.lead@demo.maca.invalid"
    assert list(demo_audit.tor_versions.values_list("number", flat=True)) == [1]
    assert demo_audit.template_key == "hsb"
    call_command("load_demo")
    assert Audit.objects.count() == 1


def test_the_demo_document_is_the_seed_document(demo_audit: Audit) -> None:
    """Built from the database, it is the same document as the template rendered with Torbay's agencies."""
    seed = dataclasses.replace(hsb(), reference="torbay-hsb-2021")
    assert tor_document_for(demo_audit) == seed
    assert tor_document_for(demo_audit, demo_audit.tor_versions.get()) == seed


def test_the_demo_renders_every_seed_sentence_in_order(demo_audit: Audit, tmp_path: Path) -> None:
    sentences, footnotes = seed_expectations()
    document = tor_document_for(demo_audit)
    furniture = ["ToR for Multi Agency Case Audit on HSB", "June 2021 · Version 1, approved 30 June 2021"]
    page = render(document, "html").decode("utf-8")
    assert_in_order(html_running_text(article(page)), sentences, "HTML of the demo")
    for footnote in footnotes:
        assert footnote in normalise(html.unescape(page))
    pdf = pdf_text(render(document, "pdf"), tmp_path / "pdf")
    assert_in_order(running_text(pdf, footnotes, furniture), sentences, "PDF of the demo")
    docx = render(document, "docx")
    text = libreoffice_convert(docx, "docx", "txt:Text", tmp_path / "docx", tmp_path / "profile").decode("utf-8-sig")
    assert_in_order(text, sentences, "DOCX of the demo read by LibreOffice")
