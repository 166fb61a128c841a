from django.urls import path

from maca.audits.views import audits, editing

app_name = "audits"

urlpatterns = [
    # The audits of a partnership.
    path("p/<slug:slug>/audits/", audits.audit_list, name="list"),
    path("p/<slug:slug>/audits/new/", audits.audit_create, name="create"),
    path("p/<slug:slug>/audits/import/", audits.audit_import_upload, name="import"),
    # One audit, known by its reference.
    path("audits/<slug:reference>/", audits.audit_detail, name="detail"),
    path("audits/<slug:reference>/copy/", audits.audit_copy, name="copy"),
    path("audits/<slug:reference>/definition.yaml", audits.definition_download, name="definition"),
    # The Terms of Reference as a document: the current draft or an approved version (?version=N).
    path("audits/<slug:reference>/terms-of-reference/", audits.tor_view, name="tor"),
    path("audits/<slug:reference>/terms-of-reference.<str:fmt>", audits.tor_download, name="tor_download"),
    # Its lifecycle.
    path("audits/<slug:reference>/lead/", audits.audit_lead, name="lead"),
    path("audits/<slug:reference>/send-for-review/", audits.audit_submit, name="submit"),
    path("audits/<slug:reference>/approve/", audits.audit_approve, name="approve"),
    path("audits/<slug:reference>/return/", audits.audit_return, name="return"),
    path("audits/<slug:reference>/new-version/", audits.audit_new_version, name="new_version"),
    # Editing the Terms of Reference, section by section (the task list is the audit's page).
    path("audits/<slug:reference>/edit/details/", editing.edit_details, name="edit_details"),
    path("audits/<slug:reference>/edit/text/<str:section>/", editing.edit_text, name="edit_text"),
    path("audits/<slug:reference>/edit/themes/", editing.edit_themes, name="edit_themes"),
    path("audits/<slug:reference>/edit/themes/new/", editing.add_theme, name="add_theme"),
    path("audits/<slug:reference>/edit/themes/<int:position>/", editing.edit_theme, name="edit_theme"),
    path("audits/<slug:reference>/edit/themes/<int:position>/remove/", editing.remove_theme, name="remove_theme"),
    path(
        "audits/<slug:reference>/edit/themes/<int:position>/questions/", editing.edit_questions, name="edit_questions"
    ),
    path("audits/<slug:reference>/edit/identification/", editing.edit_identification, name="edit_identification"),
    path("audits/<slug:reference>/edit/engagement/", editing.edit_engagement, name="edit_engagement"),
    path("audits/<slug:reference>/edit/engagement/<str:kind>/", editing.edit_participants, name="edit_participants"),
    path("audits/<slug:reference>/edit/timeline/", editing.edit_timeline, name="edit_timeline"),
    path("audits/<slug:reference>/edit/grading/", editing.edit_grading, name="edit_grading"),
    path("audits/<slug:reference>/edit/case-fields/", editing.edit_case_fields, name="edit_case_fields"),
]
