"""Site staff name sponsors here (see docs/analytics.md)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from practica.access.analytics import forget_sponsor
from practica.analytics.models import SponsorGrant, ValueStory


@admin.register(SponsorGrant)
class SponsorGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "note", "granted_by", "created_at")
    search_fields = ("user__email", "user__display_name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("communities",)
    readonly_fields = ("granted_by", "created_at")

    def save_model(
        self, request: HttpRequest, obj: SponsorGrant, form: Any, change: bool
    ) -> None:
        obj.granted_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        forget_sponsor(obj.user)


@admin.register(ValueStory)
class ValueStoryAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "cycle", "featured", "hidden")
    list_filter = ("cycle", "featured", "hidden")
    search_fields = ("title",)
    readonly_fields = ("author", "happened_html", "difference_html")
