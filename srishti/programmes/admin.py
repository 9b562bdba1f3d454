from django.contrib import admin

from .models import ProgrammeRecord, ProgrammeRuleSet


@admin.register(ProgrammeRuleSet)
class ProgrammeRuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "programme", "valid_from"]
    list_filter = ["programme"]


@admin.register(ProgrammeRecord)
class ProgrammeRecordAdmin(admin.ModelAdmin):
    # Records are written through the pages (programmes.services decides them); here
    # they are only read.
    list_display = ["facility", "programme", "cycle", "stage", "score", "result", "badge"]
    list_filter = ["programme", "cycle", "stage", "result"]
    search_fields = ["facility__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
