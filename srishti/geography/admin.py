from django.contrib import admin

from .models import Block, District, Division, Facility, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "state"]
    list_filter = ["state"]
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "state"]
    list_filter = ["state", "division"]
    search_fields = ["name"]
    list_select_related = ["division", "state"]
    autocomplete_fields = ["division"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district__state", "district__division"]
    search_fields = ["name", "district__name"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "facility_type", "block", "district", "nin"]
    list_filter = ["facility_type", "district__state", "district__division", "district"]
    search_fields = ["name", "nin"]
    list_select_related = ["district", "block"]
    autocomplete_fields = ["district", "block"]
