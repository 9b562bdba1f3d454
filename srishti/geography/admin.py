from django.contrib import admin

from .models import District, Facility, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "state"]
    list_filter = ["state"]
    search_fields = ["name"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "facility_type", "district", "nin"]
    list_filter = ["facility_type", "district__state", "district"]
    search_fields = ["name", "nin"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]
