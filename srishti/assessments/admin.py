from django.contrib import admin

from .models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["facility", "kind", "start_date", "status", "version"]
    list_filter = ["kind", "status", "version__tool"]
    search_fields = ["facility__name"]
    list_select_related = ["facility", "version__tool"]
    raw_id_fields = ["facility"]
