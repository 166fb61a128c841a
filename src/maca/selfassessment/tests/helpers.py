"""Helpers of the self-assessment tests: the cast's people and audit, answers for whole areas, and real files of
every kind an agency may attach (and some it may not)."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Audit, Participant, ParticipationKind
from maca.partnerships.models import Agency, Membership, Role
from maca.selfassessment.completeness import answer_digest
from maca.selfassessment.models import Answer, Area, Framework, Rating, SelfAssessment
from maca.selfassessment.services import AnswerData, framework_ensure, self_assessment_save_area
from maca.tests.cast import Cast

LEAD_B_EMAIL = "lead.b@example.org"


def person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def add_lead_b(cast: Cast) -> User:
    user = UserFactory.create(email=LEAD_B_EMAIL, full_name="Bea Lead")
    enrol_totp(user)
    Membership.objects.create(user=user, partnership=cast.partnership, role=Role.AGENCY_LEAD, agency=cast.agency_b)
    return user


def add_wider_participant(cast: Cast, agency: Agency) -> None:
    audit = approved(cast)
    position = Participant.objects.filter(audit=audit, kind=ParticipationKind.WIDER_AUDIT).count() + 1
    Participant.objects.create(audit=audit, kind=ParticipationKind.WIDER_AUDIT, position=position, agency=agency)


def framework(cast: Cast) -> Framework:
    return framework_ensure(actor=cast.coordinator, audit=approved(cast))


def areas(cast: Cast) -> list[Area]:
    return list(framework(cast).areas.prefetch_related("statements").order_by("position"))


def current(assessment: SelfAssessment | None, statement_id: int) -> str:
    """The fingerprint of an answer as a page would show it now."""
    answer = (
        Answer.objects.filter(self_assessment=assessment, statement_id=statement_id).first() if assessment else None
    )
    return answer_digest(answer.rating, answer.evidence) if answer else answer_digest("", "")


def rate_area(
    cast: Cast, actor: User, agency: Agency, area: Area, rating: str = Rating.FULLY, evidence: str = "Policy, 2025."
) -> SelfAssessment:
    """Rate every statement of an area the same, with the same evidence, as `actor` of `agency`."""
    audit = approved(cast)
    assessment = SelfAssessment.objects.filter(audit=audit, agency=agency).first()
    answers = {
        statement.pk: AnswerData(rating, evidence, current(assessment, statement.pk))
        for statement in area.statements.all()
    }
    return self_assessment_save_area(actor=actor, audit=audit, agency=agency, area=area, answers=answers)


def rate_everything(cast: Cast, actor: User, agency: Agency, rating: str = Rating.FULLY) -> SelfAssessment:
    assessment = None
    for area in areas(cast):
        assessment = rate_area(cast, actor, agency, area, rating)
    assert assessment is not None
    return assessment


# --- Files ---------------------------------------------------------------------------------------------------------


def tiny_png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1d\x70\xb8")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def tiny_pdf() -> bytes:
    """A small, valid one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_jpeg() -> bytes:
    """The start of a JPEG file: how JPEG files are recognised."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def tiny_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Our harmful sexual behaviour policy, approved 2025.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def tiny_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Staff trained"
    sheet["B1"] = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def macro_docm() -> bytes:
    """A Word package that declares itself macro-enabled (.docm): refused."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        package.writestr("word/document.xml", "<document/>")
        package.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "Not an Office document.")
    return out.getvalue()
