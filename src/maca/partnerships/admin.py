"""Partnership data in the Django admin (superusers only). The access log can be read there, never changed."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from maca.partnerships.models import AccessLogEntry, Agency, AgencyService, GovernanceGroup, Membership, Partnership


class AgencyServiceInline(admin.TabularInline[AgencyService, Agency]):
    model = AgencyService
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ("name", "short_name", "slug")
    search_fields = ("name", "slug")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("name", "short_code", "agency_type", "partnership")
    list_filter = ("partnership", "agency_type")
    search_fields = ("name", "short_code")
    inlines = [AgencyServiceInline]


@admin.register(GovernanceGroup)
class GovernanceGroupAdmin(admin.ModelAdmin[GovernanceGroup]):
    list_display = ("name", "short_name", "partnership")
    list_filter = ("partnership",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "agency", "partnership")
    list_filter = ("partnership", "role")
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin[AccessLogEntry]):
    list_display = ("at", "actor_email", "agency", "action", "content_type", "object_repr", "partnership")
    list_filter = ("partnership", "action", "content_type")
    search_fields = ("actor_email", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
