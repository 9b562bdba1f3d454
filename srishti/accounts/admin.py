from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["district", "facility"]


@admin.register(User)
class SrishtiUserAdmin(UserAdmin):
    inlines = [MembershipInline]
