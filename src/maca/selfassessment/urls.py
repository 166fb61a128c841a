from django.urls import URLPattern

app_name = "selfassessment"

urlpatterns: list[URLPattern] = []
