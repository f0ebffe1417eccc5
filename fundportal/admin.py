"""The Django admin is the operators' tool for onboarding funders and granting roles."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from fundportal.models import AuditEvent, Funder, LocalMail, Membership, OutboxEmail, User

admin.site.login = secure_admin_login(admin.site.login)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_language", "currency", "time_zone", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "funder", "status", "attempts", "created", "sent_at"]
    list_filter = ["status", "kind", "funder"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Every funder's trail and the events kept without a funder (sign-ins of people with no role), to read only."""

    list_display = ["at", "funder_id", "actor_email", "kind", "object_label", "address"]  # (a funder may be gone)
    list_filter = ["kind", "funder"]
    search_fields = ["actor_email", "object_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(LocalMail)
