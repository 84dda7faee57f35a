from rest_framework import serializers

from accounts.models import (
    ApiToken,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
    TokenScope,
)
from accounts.principal import TokenKind
from config.serializers import StrictModelSerializer, StrictSerializer


class OrganizationSerializer(StrictModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in this organization.")

    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "role", "created_at", "updated_at"]
        read_only_fields = ["id", "slug", "role", "created_at", "updated_at"]

    def get_role(self, obj) -> str:
        return self.context["principal"].role


class MembershipSerializer(StrictModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "email", "role", "created_at", "updated_at"]
        read_only_fields = ["id", "username", "email", "created_at", "updated_at"]


class MembershipCreateSerializer(StrictSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(required=False, default="", max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class ApiTokenSerializer(StrictModelSerializer):
    integration = serializers.BooleanField(
        source="is_integration_key",
        read_only=True,
        help_text="True for organization-level integration keys; false for a member's token.",
    )
    member = serializers.PrimaryKeyRelatedField(
        source="membership", read_only=True, allow_null=True
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "integration",
            "member",
            "active",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(
        choices=TokenScope.choices,
        default=TokenScope.READ_WRITE,
        help_text="`read`: GET only, for personal tokens and integration keys alike (a personal "
        "token reads what its member reads). `read_write`: a personal token acts with its "
        "member's role; an integration key writes where integrations may.",
    )
    integration = serializers.BooleanField(
        default=False,
        help_text="Create an organization-level integration key (admins only) instead of a "
        "token for yourself.",
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown only once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class MeUserSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)


class MeOrganizationSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class MeSerializer(StrictSerializer):
    """Who the caller is: built from the request's principal, never from input."""

    user = MeUserSerializer(
        read_only=True, allow_null=True, help_text="Null for an integration key."
    )
    membership = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Your membership's id (as in `/members/`); null for an integration key.",
    )
    role = serializers.ChoiceField(
        choices=Role.choices,
        read_only=True,
        allow_null=True,
        help_text="Your role in the organization; null for an integration key, which is "
        "limited by its scope instead.",
    )
    organization = MeOrganizationSerializer(read_only=True)
    token_kind = serializers.ChoiceField(choices=TokenKind.choices, read_only=True)
    scope = serializers.ChoiceField(
        choices=TokenScope.choices,
        read_only=True,
        allow_null=True,
        help_text="The token's scope; null for a session.",
    )


class InvitationSerializer(StrictModelSerializer):
    status = serializers.ChoiceField(
        choices=InvitationStatus.choices,
        read_only=True,
        help_text="From the timestamps: `accepted`, `revoked`, `expired` (past `expires_at`) "
        "or `pending`.",
    )
    invited_by = serializers.CharField(
        source="invited_by.username", read_only=True, allow_null=True, default=None
    )
    accepted_by = serializers.CharField(
        source="accepted_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "last_sent_at",
            "send_count",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class InvitationAcceptSerializer(StrictSerializer):
    token = serializers.CharField(
        max_length=100, help_text="The last part of the link in the invitation email."
    )
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        required=False,
        help_text="The new account's username; the invited address by default.",
    )
    password = serializers.CharField(
        max_length=4096,
        write_only=True,
        trim_whitespace=False,
        help_text="Checked by the password validators (length, common, numeric, similar).",
    )


class InvitationAcceptedSerializer(StrictSerializer):
    membership = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    organization = MeOrganizationSerializer(read_only=True)
