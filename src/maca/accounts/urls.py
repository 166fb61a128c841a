from django.urls import path

from maca.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor-required/", views.second_factor_required_view, name="second_factor_required"),
]
