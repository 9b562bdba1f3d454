from django.contrib import admin

from .models import CertificationRecord, MissionTarget


@admin.register(CertificationRecord)
class CertificationRecordAdmin(admin.ModelAdmin):
    list_display = ["facility", "tool", "stage", "result", "decided_on", "valid_until"]
    list_filter = ["tool", "stage", "result"]
    search_fields = ["facility__name"]
    raw_id_fields = ["facility", "assessment"]
    # Files are served only through the access-checked certificate page, never from here.
    exclude = ["certificate"]


@admin.register(MissionTarget)
class MissionTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "district", "tool", "count", "deadline"]
    list_filter = ["tool"]
