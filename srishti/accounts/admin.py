from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["division", "district", "block", "facility"]


@admin.register(User)
class SrishtiUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    # Lets the master-data administrator lift a lock or force a password change.
    fieldsets = (*UserAdmin.fieldsets,
                 (_("Log-in"), {"fields": ("must_change_password", "failed_logins",
                                           "locked_until")}))
