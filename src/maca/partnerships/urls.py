from django.urls import path

from maca.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/logo/", views.partnership_logo, name="logo"),
    path("<slug:slug>/disclosure/", views.partnership_disclosure, name="disclosure"),
    path("<slug:slug>/agencies/", views.agency_list, name="agency_list"),
    path("<slug:slug>/agencies/new/", views.agency_create, name="agency_create"),
    path("<slug:slug>/agencies/<str:code>/", views.agency_detail, name="agency_detail"),
    path("<slug:slug>/agencies/<str:code>/change/", views.agency_edit, name="agency_edit"),
    path("<slug:slug>/agencies/<str:code>/services/new/", views.agency_service_create, name="agency_service_create"),
    path(
        "<slug:slug>/agencies/<str:code>/services/<int:pk>/change/",
        views.agency_service_edit,
        name="agency_service_edit",
    ),
    path("<slug:slug>/governance-groups/", views.governance_group_list, name="governance_group_list"),
    path("<slug:slug>/governance-groups/new/", views.governance_group_create, name="governance_group_create"),
    path("<slug:slug>/governance-groups/<int:pk>/change/", views.governance_group_edit, name="governance_group_edit"),
    path("<slug:slug>/people/", views.person_list, name="person_list"),
    path("<slug:slug>/people/new/", views.person_create, name="person_create"),
    path("<slug:slug>/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("<slug:slug>/people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("<slug:slug>/people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("<slug:slug>/people/<int:pk>/roles/new/", views.membership_create, name="membership_create"),
    path(
        "<slug:slug>/people/<int:pk>/roles/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("<slug:slug>/access-log/", views.access_log, name="access_log"),
]
