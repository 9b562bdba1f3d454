from django.contrib import admin

from .models import CertificationRuleSet, ChecklistVersion, Department, Tool


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(CertificationRuleSet)
class CertificationRuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "tool", "facility_types"]
    list_filter = ["tool"]


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["name", "order"]
    extra = 0
    show_change_link = False

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_in_use()


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tool", "facility_type", "label", "status", "rule_set",
                    "overall_rule"]
    list_filter = ["tool", "facility_type", "status"]
    inlines = [DepartmentInline]

    def get_readonly_fields(self, request, obj=None):
        # Only the status may change once assessments use the version.
        if obj is not None and obj.is_in_use():
            return [f.name for f in obj._meta.fields if f.name != "status"]
        return ["structure_hash"]
