"""The offline workbook of an agency's returns: download it pre-filled, upload it completed (`maca.returns.workbook`).

Who: an agency's drafts are private to the agency (`maca.returns.rules`), so only the agency's own people get its
workbook. Its leads and auditors download it: they read every return of their agency in the browser too. Only its
leads upload it: an upload may change every return of the agency, and only a lead may change them all (an auditor
changes the returns given to them). The coordinator and the audit lead, who see the returns' states but never a
draft's answers, are refused (403); people of other agencies do not learn that the agency's returns exist (404).
Every download and every change an upload makes is logged.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.cases.importing import MAX_BYTES
from maca.common.words import plural
from maca.partnerships.models import Agency

from .models import AgencyReturn
from .workbook import (
    XLSX_CONTENT_TYPE,
    WorkbookError,
    WorkbookImport,
    agency_returns,
    export_workbook,
    import_workbook,
)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label="The completed workbook",
        help_text=f"The .xlsx file downloaded from maca, with your answers. At most {MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={
            "required": "Choose the completed workbook",
            "empty": "The file is empty: choose the completed workbook",
        },
    )


def _agency_workbook(
    request: HttpRequest, reference: str, code: str, perm: str
) -> tuple[Audit, Agency, list[AgencyReturn]]:
    """The audit, the agency and its returns, for one of the agency's people with `perm` on it; 404 for those who
    see none of the agency's returns, 403 for the others."""
    audit = get_audit(request, reference)
    user = acting_user(request)
    if not user.has_perm("returns.view_returns", audit):
        raise PermissionDenied
    agency = Agency.objects.filter(partnership=audit.partnership, short_code=code).first()
    if agency is None:
        raise Http404
    returns = agency_returns(user, audit, agency)
    if not user.has_perm(perm, agency):
        if not returns:
            raise Http404
        raise PermissionDenied
    return audit, agency, returns


@login_required
@require_GET
def workbook_download(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """The agency's workbook, pre-filled with its returns' answers."""
    audit, agency, returns = _agency_workbook(request, reference, code, "returns.download_workbook")
    if not returns:
        messages.info(request, f"{agency} has no return to complete in this audit yet, so there is no workbook.")
        return redirect("returns:list", audit.reference)
    content = export_workbook(actor=acting_user(request), audit=audit, agency=agency, returns=returns)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-{agency.short_code}-returns.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def outcome(result: WorkbookImport) -> str:
    """What an upload did, in one paragraph."""
    if result.updated:
        cases = ", ".join(r.case.reference for r in result.updated)
        said = f"{plural(len(result.updated), 'return')} updated from the workbook ({cases})."
    else:
        said = "Nothing needed saving: the workbook’s answers are the same as maca’s."
    if result.kept:
        said += (
            " Where an answer changed in maca after the download and the workbook left it as it was, maca’s answer "
            f"was kept: {'; '.join(result.kept)}."
        )
    return said


@login_required
@require_http_methods(["GET", "POST"])
def workbook_upload(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """Upload the completed workbook: all or nothing, every problem and conflict listed by sheet, row and column."""
    audit, agency, returns = _agency_workbook(request, reference, code, "returns.upload_workbook")
    form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else WorkbookUploadForm()
    status = 200
    if request.method == "POST":
        status = 400
        upload = form.cleaned_data["file"] if form.is_valid() else None
        if upload is not None and upload.size is not None and upload.size > MAX_BYTES:
            form.add_error("file", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: it is not the workbook.")
        elif upload is not None:
            try:
                result = import_workbook(actor=acting_user(request), audit=audit, agency=agency, data=upload.read())
            except WorkbookError as error:
                for problem in error.problems:
                    form.add_error("file", str(problem))
            else:
                messages.success(request, outcome(result))
                return redirect("returns:list", audit.reference)
    list_url = reverse("returns:list", args=[audit.reference])
    context = {
        "title": f"Upload {agency}’s completed workbook",
        "audit": audit,
        "agency": agency,
        "form": form,
        "returns": returns,
        "download_url": reverse("returns:workbook", args=[audit.reference, agency.short_code]),
        "list_url": list_url,
        "breadcrumbs": audit_crumbs(audit, ("Returns", list_url), ("Upload the workbook", "")),
    }
    return render(request, "returns/workbook_upload.html", context, status=status)
