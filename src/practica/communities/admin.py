from django.contrib import admin

from practica.communities.models import Community, Invitation, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "visibility", "policy", "member_count")
    list_filter = ("kind", "visibility", "policy", "is_formal")
    search_fields = ("name", "slug")
    readonly_fields = (
        "member_count",
        "pending_count",
        "version",
        "charter_html",
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "community", "role", "status", "joined_at")
    list_filter = ("role", "status", "community")
    list_select_related = ("user", "community")
    raw_id_fields = ("user", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "community", "role", "expires_at", "accepted_at")
    readonly_fields = ("token_hash",)
