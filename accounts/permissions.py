"""Role checks layered on the organization scoping.

Views declare who may write: ``write_roles`` (default admins only), optionally
``action_roles`` per action, and ``integration_writes`` (whether a read_write
integration key may write here). Reads are open to every member.

A ``read`` token, personal or integration, only ever uses safe methods: its
scope caps the member's role, it never widens it.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import Role
from accounts.principal import resolve_principal


class IsOrganizationMember(BasePermission):
    message = "You may not do this in this organization."

    def has_permission(self, request, view):
        principal = resolve_principal(request)
        safe = request.method in SAFE_METHODS
        if principal.read_only and not safe:
            return False
        role = principal.role
        if principal.is_integration and not getattr(view, "integration_writes", True):
            # Access control (members, tokens, the organization) is never an
            # integration's business: a read_write key reads there like a viewer.
            if not safe:
                return False
            role = Role.VIEWER
        action_roles = getattr(view, "action_roles", {})
        action = getattr(view, "action", None)
        if action in action_roles:
            return role in action_roles[action]
        if safe:
            return True
        return role in getattr(view, "write_roles", {Role.ADMIN})
