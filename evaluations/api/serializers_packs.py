"""An evaluation's packs in requests and responses, and the request that creates an
evaluation from a needs assessment."""

from rest_framework import serializers

from accounts.models import Membership
from accounts.tenancy import TenantSerializerMixin
from config.serializers import StrictSerializer
from evaluations.services.packs import MAX_PACKS
from questionnaires.models import QuestionnaireVersion

PACKS_HELP = (
    f"Ids of published questionnaire versions (yours or built-in, at most {MAX_PACKS}) whose "
    "sections and questions are scored after those of `questionnaire_version`, in this "
    "order. No section or question code may occur twice in the whole set. Changes only "
    "while the evaluation is a draft."
)


class PacksField(serializers.ManyRelatedField):
    """Pack version ids in order. Read from the evaluation's pack links (lists prefetch
    them), written as versions, scoped to the caller's organization like every related
    field (``accounts.tenancy``)."""

    def __init__(self, **kwargs):
        child = serializers.PrimaryKeyRelatedField(queryset=QuestionnaireVersion.objects.all())
        super().__init__(child_relation=child, **kwargs)

    def get_attribute(self, instance):
        return [link.version_id for link in instance.pack_links.all()]

    def to_representation(self, iterable):
        return list(iterable)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        # Before the ids are looked up one by one.
        if len(data) > MAX_PACKS:
            raise serializers.ValidationError(f"At most {MAX_PACKS} packs.")
        versions, errors = [], {}
        for index, item in enumerate(data):
            try:
                versions.append(self.child_relation.to_internal_value(item))
            except serializers.ValidationError as exc:
                errors[index] = exc.detail  # named `packs[index]` in the problem
        if errors:
            raise serializers.ValidationError(errors)
        return versions


def packs_field(**kwargs) -> PacksField:
    return PacksField(required=False, help_text=kwargs.pop("help_text", PACKS_HELP), **kwargs)


class EvaluationFromNeedsSerializer(TenantSerializerMixin, StrictSerializer):
    """What a draft evaluation made from a needs assessment takes besides the assessment."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.all(),
        required=False,
        help_text="Membership id of an admin; defaults to you when you are an admin.",
    )
    questionnaire_version = serializers.PrimaryKeyRelatedField(
        queryset=QuestionnaireVersion.objects.all(),
        required=False,
        help_text="The base version to pin (published, yours or built-in). Default: the "
        "published version of the built-in provider vetting questionnaire.",
    )
    packs = packs_field(
        help_text=f"{PACKS_HELP} Default: the published built-in version of every pack the "
        "assessment recommends (`result.packs`; the vetting questionnaire itself is the "
        "base, not a pack). `[]` pins none."
    )
