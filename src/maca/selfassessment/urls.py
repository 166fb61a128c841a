from django.urls import path

from .views import agency, framework, oversight

app_name = "selfassessment"

# Agencies' short codes are capitals (e.g. YOT), so they never meet the lower-case words before them.
AT = "audits/<slug:reference>/self-assessment/"

urlpatterns = [
    path(AT, oversight.overview, name="overview"),
    path(f"{AT}results/", oversight.results_view, name="results"),
    # The framework editor.
    path(f"{AT}framework/", framework.framework_view, name="framework"),
    path(f"{AT}framework/start-again/", framework.framework_default, name="framework_default"),
    path(f"{AT}framework/areas/", framework.framework_areas, name="framework_areas"),
    path(f"{AT}framework/areas/<int:position>/", framework.framework_statements, name="framework_statements"),
    # One agency's self-assessment.
    path(f"{AT}<str:code>/", agency.agency_view, name="agency"),
    path(f"{AT}<str:code>/areas/<int:position>/", agency.area_view, name="area"),
    path(f"{AT}<str:code>/check/", agency.check_view, name="check"),
    path(f"{AT}<str:code>/return/", oversight.return_view, name="return"),
    path(f"{AT}<str:code>/evidence/<int:pk>/", agency.evidence_download, name="evidence"),
    path(f"{AT}<str:code>/evidence/<int:pk>/remove/", agency.evidence_remove, name="evidence_remove"),
]
