"""People in the Django admin (superusers only; not how coordinators add people)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from maca.accounts.models import User


@admin.register(User)
# django-stubs bind UserAdmin to AbstractUser; maca's User is AbstractBaseUser with the fields UserAdmin needs.
class UserAdmin(DjangoUserAdmin[User]):  # type: ignore[type-var]
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_superuser", "is_demo", "last_login")
    list_filter = ("is_active", "is_superuser", "is_demo")
    search_fields = ("email", "full_name")
    readonly_fields = ("is_demo", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "is_demo")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
