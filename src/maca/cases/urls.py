from django.urls import path

from maca.cases import views

app_name = "cases"

urlpatterns = [
    path("audits/<slug:reference>/cases/", views.case_list, name="list"),
    path("audits/<slug:reference>/cases/new/", views.case_nominate, name="nominate"),
    path("audits/<slug:reference>/cases/import/", views.case_import, name="import"),
    path("audits/<slug:reference>/cases/template.<str:fmt>", views.case_template_download, name="template"),
    path("audits/<slug:reference>/cases/<str:case>/", views.case_detail, name="detail"),
    path("audits/<slug:reference>/cases/<str:case>/decision/", views.case_decide, name="decide"),
    path("audits/<slug:reference>/cases/<str:case>/change/", views.case_change, name="change"),
    path("audits/<slug:reference>/cases/<str:case>/withdraw/", views.case_withdraw, name="withdraw"),
    path("audits/<slug:reference>/cases/<str:case>/involvement/new/", views.involvement_add, name="add_involvement"),
    path(
        "audits/<slug:reference>/cases/<str:case>/involvement/<str:code>/",
        views.involvement_confirm,
        name="involvement",
    ),
    path(
        "audits/<slug:reference>/cases/<str:case>/involvement/<str:code>/remove/",
        views.involvement_remove,
        name="remove_involvement",
    ),
]
