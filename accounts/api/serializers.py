from rest_framework import serializers

from accounts.models import ApiToken, Membership, Organization, Role, TokenScope
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
