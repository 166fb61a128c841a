from django.urls import path

from maca.returns import views, workbook_views

app_name = "returns"

ONE = "audits/<slug:reference>/returns/<str:case>/<str:code>/"

urlpatterns = [
    path("audits/<slug:reference>/returns/", views.return_list, name="list"),
    path("audits/<slug:reference>/moderation/open/", views.open_moderation, name="open_moderation"),
    path("audits/<slug:reference>/returns/workbook/<str:code>.xlsx", workbook_views.workbook_download, name="workbook"),
    path(
        "audits/<slug:reference>/returns/workbook/<str:code>/upload/",
        workbook_views.workbook_upload,
        name="workbook_upload",
    ),
    path(ONE, views.return_detail, name="detail"),
    path(ONE + "themes/<int:theme>/", views.return_theme, name="theme"),
    path(ONE + "sharing/", views.return_sharing, name="sharing"),
    path(ONE + "profile/", views.return_profile, name="profile"),
    path(ONE + "check/", views.return_check, name="check"),
    path(ONE + "assign/", views.return_assign, name="assign"),
    path(ONE + "decision/", views.return_decide, name="decide"),
    path(ONE + "reopen/", views.return_reopen, name="reopen"),
    path(ONE + "history/", views.return_history, name="history"),
    path(ONE + "remind/", views.return_remind, name="remind"),
]
