from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import invitations, services
from accounts.api import serializers as s
from accounts.api.filters import InvitationFilter
from accounts.models import ApiToken, Invitation, InvitationStatus, Membership, Role
from accounts.principal import resolve_principal
from accounts.tenancy import TenantViewSetMixin
from config.exceptions import Conflict, Gone
from config.filters import refuse_unknown_parameters


class CurrentOrganizationView(generics.RetrieveUpdateAPIView):
    """The organization the caller acts for."""

    serializer_class = s.OrganizationSerializer
    operation_id_prefix = "organization"
    integration_writes = False
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return resolve_principal(self.request).organization

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "principal": resolve_principal(self.request)}

    @extend_schema(operation_id="organization_retrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="organization_partial_update")
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)


class MembershipViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of the organization and their roles. Admins manage them."""

    queryset = Membership.objects.select_related("user")
    serializer_class = s.MembershipSerializer
    operation_id_prefix = "members"
    extra_error_codes = (409,)
    integration_writes = False
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_fields = ["role"]
    search_fields = ["user__username", "user__email"]
    ordering_fields = ["created_at", "id"]

    @extend_schema(request=s.MembershipCreateSerializer, responses={201: s.MembershipSerializer})
    def create(self, request, *args, **kwargs):
        """Add a member with a new account. An existing username is a 409 (it is never
        attached, and nothing about its account is shown)."""
        payload = s.MembershipCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = services.add_member(self.principal.organization, **payload.validated_data)
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.change_role(
            serializer.instance, serializer.validated_data.get("role", serializer.instance.role)
        )

    def perform_destroy(self, instance):
        services.remove_member(instance, user=self.principal.user)


class ApiTokenViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """API tokens. Members manage their own; admins see all and issue integration keys.
    Deleting a token revokes it (the row stays for the audit of last use)."""

    queryset = ApiToken.objects.all()
    serializer_class = s.ApiTokenSerializer
    operation_id_prefix = "api_tokens"
    integration_writes = False
    write_roles = {Role.ADMIN, Role.EVALUATOR, Role.VIEWER}
    filterset_fields = ["scope"]
    ordering_fields = ["created_at", "last_used_at", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        principal = self.principal
        if principal.is_admin and not principal.is_integration:
            return queryset
        if principal.membership is None:
            return queryset.none()
        return queryset.filter(Q(membership=principal.membership))

    @extend_schema(request=s.ApiTokenCreateSerializer, responses={201: s.ApiTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.ApiTokenCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        principal = self.principal
        if data["integration"] and not principal.is_admin:
            raise PermissionDenied("Only admins can create integration keys.")
        token, raw = services.issue_token(
            principal.organization,
            name=data["name"],
            scope=data["scope"],
            membership=None if data["integration"] else principal.membership,
            created_by=principal.user,
        )
        body = s.ApiTokenCreatedSerializer(token).data
        body["token"] = raw
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        if instance.is_active:
            instance.revoke()


class MeView(generics.GenericAPIView):
    """Who is calling: the user, membership and organization behind the credentials."""

    serializer_class = s.MeSerializer
    operation_id_prefix = "me"
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="me_retrieve",
        summary="Who am I",
        description="The user, membership, role and organization this request acts as, and "
        "how it authenticated: `personal` (a member's token), `integration` (an "
        "organization-level key: no user, membership or role, only a scope) or `session` "
        "(signed in; no scope). A session in several organizations acts for the one chosen "
        "with `X-Organization` or on the sign-in pages.",
    )
    def get(self, request, *args, **kwargs):
        refuse_unknown_parameters(request, ())
        principal = resolve_principal(request)
        user = principal.user
        body = {
            "user": user,
            "membership": principal.membership.pk if principal.membership else None,
            "role": None if principal.is_integration else principal.role,
            "organization": principal.organization,
            "token_kind": principal.token_kind,
            "scope": principal.token.scope if principal.token else None,
        }
        return Response(s.MeSerializer(body).data)


ADMINS = {Role.ADMIN}


@extend_schema_view(
    list=extend_schema(
        summary="List invitations (admins)",
        description="Filter with `status` (pending, accepted, revoked, expired), `role`, `email`.",
    ),
    retrieve=extend_schema(summary="Get an invitation (admins)"),
)
class InvitationViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Invitations to join the organization. The link's secret is only ever in the email."""

    queryset = Invitation.objects.select_related("invited_by", "accepted_by")
    serializer_class = s.InvitationSerializer
    operation_id_prefix = "invitations"
    extra_error_codes = (409,)
    integration_writes = False
    write_roles = ADMINS
    action_roles = {"list": ADMINS, "retrieve": ADMINS}
    bodyless_actions = ("revoke", "resend")
    filterset_class = InvitationFilter
    search_fields = ["email"]
    ordering_fields = ["created_at", "expires_at", "id"]

    @extend_schema(
        summary="Invite someone by email (admins)",
        description="Emails a link to join with `role`, valid `INVITATION_TTL` (7 days by "
        "default). 409 when the address already has a pending invitation (resend that one), "
        "belongs to a member, or the organization has `INVITATION_MAX_PENDING` pending "
        "invitations. Whoever accepts gets a new account, or joins with the existing account "
        "of that address after signing in.",
        request=s.InvitationCreateSerializer,
        responses={201: s.InvitationSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = s.InvitationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation = invitations.invite(
            organization=self.principal.organization,
            invited_by=self.principal.user,
            **payload.validated_data,
        )
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw an invitation (admins)",
        description="Its link stops working. Revoking again changes nothing; an accepted "
        "invitation is a 409 (remove the member instead).",
        request=None,
        responses={200: s.InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = invitations.revoke(self.get_object())
        return Response(s.InvitationSerializer(invitation).data)

    @extend_schema(
        summary="Send an invitation again (admins)",
        description="A new link with a new expiry; the previous link stops working. For a "
        "pending or expired invitation, at most once per `INVITATION_RESEND_INTERVAL_SECONDS` "
        "(429 with Retry-After) and `INVITATION_MAX_SENDS` times in all (409).",
        request=None,
        responses={200: s.InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation = invitations.resend(self.get_object())
        return Response(s.InvitationSerializer(invitation).data)


# Why an invitation token cannot be used, as the API answers it.
UNUSABLE = {
    "invalid": (NotFound, "No invitation has this token (mistyped, or replaced by a resend)."),
    InvitationStatus.EXPIRED: (Gone, "This invitation has expired; ask for it to be resent."),
    InvitationStatus.REVOKED: (Gone, "This invitation was withdrawn."),
    InvitationStatus.ACCEPTED: (Gone, "This invitation was already used."),
}


class InvitationAcceptView(generics.GenericAPIView):
    """Accept an invitation with a new account, without a browser."""

    serializer_class = s.InvitationAcceptSerializer
    operation_id_prefix = "invitations_accept"
    # Anonymous: the token is the credential, and the account is new. Credentials
    # sent along are not used, so this never acts as (or for) their owner.
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []
    extra_error_codes = (404, 409, 410)

    @extend_schema(
        operation_id="invitations_accept",
        summary="Accept an invitation with a new account",
        description="For an invited address without an account: creates the account "
        "(`username` defaults to the address) with `password` (checked by the password "
        "validators) and the membership with the invited role. No credentials needed, and "
        "none are used. 404 for an unknown token, 410 for an expired, revoked or used one; "
        "409 when the username is taken or the address already has an account (its owner "
        "signs in and accepts on the invitation's page instead).",
        responses={201: s.InvitationAcceptedSerializer},
    )
    def post(self, request, *args, **kwargs):
        payload = s.InvitationAcceptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            membership = invitations.accept_as_new_user(
                data["token"], username=data.get("username"), password=data["password"]
            )
        except invitations.InvitationUnusable as error:
            exception, detail = UNUSABLE[error.reason]
            raise exception(detail) from None
        except DjangoValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        except invitations.UsernameTaken:
            raise Conflict("This username is taken; choose another one.") from None
        except invitations.AccountExists:
            raise Conflict(
                "An account uses the invited address: sign in with it and accept on the "
                "invitation's page."
            ) from None
        body = {
            "membership": membership.pk,
            "username": membership.user.username,
            "role": membership.role,
            "organization": membership.organization,
        }
        return Response(s.InvitationAcceptedSerializer(body).data, status=status.HTTP_201_CREATED)
