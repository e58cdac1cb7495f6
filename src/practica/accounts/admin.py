from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from practica.accounts.models import (
    AccessToken,
    Department,
    Expertise,
    Skill,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("display_name",)
    list_display = (
        "email",
        "display_name",
        "department",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_active", "department")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "pronouns",
                    "department",
                    "job_title",
                    "location",
                    "time_zone",
                    "introduction",
                    "available_to_help",
                    "help_note",
                )
            },
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "password1", "password2"),
            },
        ),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "skill",
        "level",
        "years",
        "endorsement_count",
        "verified_at",
    )
    list_select_related = ("user", "skill")
    raw_id_fields = ("user", "verified_by")


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("token_hash", "prefix")
    raw_id_fields = ("user",)
