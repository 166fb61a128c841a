from django.urls import path

from maca.analysis import views

app_name = "analysis"

urlpatterns = [
    path("audits/<slug:reference>/analysis/", views.overview, name="overview"),
    path("audits/<slug:reference>/analysis.xlsx", views.download, name="download"),
]
