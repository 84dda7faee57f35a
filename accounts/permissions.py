"""Role checks layered on the organization scoping.

Views declare who may write: ``write_roles`` (default admins only), optionally
``action_roles`` per action, and ``integration_writes`` (whether a read_write
integration key may write here). Reads are open to every member.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import Role
from accounts.principal import resolve_principal


class IsOrganizationMember(BasePermission):
    message = "You may not do this in this organization."

    def has_permission(self, request, view):
        principal = resolve_principal(request)
        action = getattr(view, "action", None)
        action_roles = getattr(view, "action_roles", {})
        if action in action_roles:
            allowed = action_roles[action]
        elif request.method in SAFE_METHODS:
            return True
        else:
            allowed = getattr(view, "write_roles", {Role.ADMIN})
        if principal.is_integration:
            if principal.token.scope != "read_write" or not getattr(
                view, "integration_writes", True
            ):
                return request.method in SAFE_METHODS and Role.VIEWER in allowed
            return Role.ADMIN in allowed
        return principal.role in allowed
