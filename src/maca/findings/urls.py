from django.urls import path

from .views import findings, moderating, overview

app_name = "findings"

AT = "audits/<slug:reference>/moderation/"
FINDING = f"{AT}findings/<int:pk>/"

urlpatterns = [
    path(AT, overview.overview, name="overview"),
    path(f"{AT}headings/", moderating.headings, name="headings"),
    # Agencies' short codes are capitals (e.g. YOT); case references are the audit's own.
    path(f"{AT}grades/<str:case>/<str:code>/<int:theme>/", moderating.grade, name="grade"),
    path(f"{AT}findings/add/", findings.finding_add, name="finding_add"),
    path(FINDING, findings.finding_edit, name="finding"),
    path(f"{FINDING}remove/", findings.finding_remove, name="finding_remove"),
    path(f"{FINDING}evidence/returns/", findings.evidence_returns, name="evidence_returns"),
    path(f"{FINDING}evidence/answers/", findings.evidence_answers, name="evidence_answers"),
    path(f"{FINDING}evidence/answers/<str:case>/<str:code>/", findings.evidence_answers_return, name="evidence_answer"),
    path(f"{FINDING}evidence/figures/", findings.evidence_figures, name="evidence_figures"),
    path(f"{AT}recommendations/add/", moderating.recommendation_add, name="recommendation_add"),
    path(f"{AT}recommendations/<int:pk>/", moderating.recommendation_edit, name="recommendation"),
    path(f"{AT}recommendations/<int:pk>/remove/", moderating.recommendation_remove, name="recommendation_remove"),
    path(f"{AT}sign-off/", overview.sign_off, name="sign_off"),
    path(f"{AT}new-version/", overview.new_version, name="new_version"),
    path(f"{AT}versions/", overview.versions, name="versions"),
    path(f"{AT}versions/<int:number>/", overview.version, name="version"),
]
