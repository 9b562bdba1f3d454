from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Indicator
from .services import indicator_save


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The library's admin page; `srishti indicators import` does the same from CSV."""

    list_display = ["code", "name_en", "name_hi", "multiplier", "direction", "benchmark",
                    "measurable_element", "active"]
    list_filter = ["active", "multiplier", "direction", "standard"]
    search_fields = ["code", "name_en", "name_hi"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_hi", "unit_en", "unit_hi", "active",
                           "order"]}),
        (_("Formula"), {"fields": ["numerator_en", "numerator_hi", "denominator_en",
                                "denominator_hi", "multiplier", "direction", "benchmark",
                                "benchmark_source"]}),
        (_("Validation"), {"fields": ["numerator_le_denominator", "numerator_whole",
                                   "denominator_whole"]}),
        (_("Where it applies"), {"fields": ["departments", "facility_types", "standard",
                                         "measurable_element", "source"]}),
    ]

    def save_model(self, request, obj, form, change):
        # Through the service: stored values follow a changed multiplier.
        indicator_save(indicator=obj)
