from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("audits/<slug:reference>/retention/", views.audit_retention, name="audit"),
    path("audits/<slug:reference>/close/", views.audit_close, name="close"),
    path("audits/<slug:reference>/legal-hold/", views.legal_hold_place, name="hold"),
    path("audits/<slug:reference>/legal-hold/lift/", views.legal_hold_lift, name="lift"),
    path("p/<slug:slug>/retention/", views.partnership_retention, name="settings"),
]
