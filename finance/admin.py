from django.contrib import admin

from finance.models import FundingShare, Programme, Rate, TimeNormSetting


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "landlord", "call_year", "start", "end"]
    fields = [
        "landlord",
        "name",
        "call_year",
        "start",
        "end",
        "maintien_planned_per_year",
        "acces_planned_per_year",
        "committee_place",
    ]


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["programme", "kind", "amount", "valid_from", "valid_to"]
    list_filter = ["programme", "kind"]
    fields = ["programme", "kind", "amount", "valid_from", "valid_to"]


@admin.register(TimeNormSetting)
class TimeNormAdmin(admin.ModelAdmin):
    list_display = ["programme", "valid_from", "valid_to", "meeting_minutes", "meeting_every_weeks"]
    fields = [
        "programme",
        "valid_from",
        "valid_to",
        "diagnostic_household_minutes",
        "diagnostic_admin_minutes",
        "meeting_minutes",
        "meeting_every_weeks",
        "admin_minutes_per_month",
    ]


@admin.register(FundingShare)
class FundingShareAdmin(admin.ModelAdmin):
    list_display = ["programme", "label", "percent", "is_subsidy", "valid_from", "valid_to"]
    list_filter = ["programme"]
    fields = ["programme", "label", "funders", "percent", "is_subsidy", "position", "valid_from", "valid_to"]
    filter_horizontal = ["funders"]
