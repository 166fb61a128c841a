from django.urls import path

from . import views

app_name = "outputs"
urlpatterns = [
    path("audits/<slug:reference>/outputs/", views.overview, name="overview"),
    path("audits/<slug:reference>/outputs/briefing-text/", views.briefing_text, name="briefing_text"),
    path("audits/<slug:reference>/outputs/publish/", views.publish, name="publish"),
    path("audits/<slug:reference>/outputs/<slug:layout>/<slug:audience>/", views.document, name="document"),
    path("audits/<slug:reference>/outputs/<slug:layout>/<slug:audience>/<slug:fmt>/", views.download, name="download"),
    path("audits/<slug:reference>/publications/<int:number>/", views.publication, name="publication"),
    path(
        "audits/<slug:reference>/publications/<int:number>/<str:name>",
        views.publication_file,
        name="publication_file",
    ),
    path("published/<slug:reference>/", views.public, name="public"),
    path("published/<slug:reference>/<int:number>/", views.public, name="public_version"),
    path("published/<slug:reference>/<int:number>/<str:name>", views.public_file, name="public_file"),
]
