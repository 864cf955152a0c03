from django.contrib import admin

from committee.models import Minutes


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Read-only: validated minutes never change (a correction is a new version, made in the app)."""

    list_display = ["session", "version", "validated_at", "validated_by", "sha256"]
    fields = ["session", "version", "validated_at", "validated_by", "sha256", "correction_reason"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
