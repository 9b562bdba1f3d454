"""Template questions answered by accounts.access (memberships are read once a request)."""

from django import template

from srishti.accounts import access

register = template.Library()


@register.filter
def manages_people(user) -> bool:
    """{% if user|manages_people %}: whether to show the People pages to this user."""
    return access.manages_anyone(user)


@register.filter
def reads_audit(user) -> bool:
    """{% if user|reads_audit %}: whether to show the audit log (state administrators)."""
    return access.can_view_audit(user)
