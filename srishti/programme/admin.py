"""Master data of the programme: the assessor rules and the key roles are data a state
changes here; the directory, trainings and register have their own pages."""

from django.contrib import admin

from .models import (
    Assessor,
    EligibilityRule,
    EligibilityRuleSet,
    KeyRole,
    StaffMember,
    Training,
)


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


@admin.register(EligibilityRuleSet)
class EligibilityRuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source", "valid_from"]
    inlines = [EligibilityRuleInline]


@admin.register(KeyRole)
class KeyRoleAdmin(admin.ModelAdmin):
    list_display = ["role", "level", "facility_types", "refresher_months", "source"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "district", "facility", "account", "active"]
    list_filter = ["role", "active"]
    search_fields = ["name", "name_hi"]
    raw_id_fields = ["district", "facility", "account"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "state", "district"]
    list_filter = ["kind"]


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["staff", "level", "certified_on", "certificate_valid_until", "active"]
    list_filter = ["level", "active"]
    raw_id_fields = ["staff"]
