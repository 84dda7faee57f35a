"""Request and report shapes of ``POST /providers/import/``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.schema import ProblemErrorItemSerializer, ProblemSerializer
from config.serializers import StrictSerializer
from providers.api.fields import EnumChoiceField
from providers.api.serializers import ProviderSerializer
from providers.services.import_ import MAX_IMPORT_ROWS


@extend_schema_field(ProviderSerializer(many=True))
class ProviderRowsField(serializers.ListField):
    """Rows pass through unvalidated here: each one is validated on its own so the
    report can say which rows failed and why."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.DictField(), min_length=1, max_length=MAX_IMPORT_ROWS, **kwargs
        )


class ProviderImportSerializer(StrictSerializer):
    providers = ProviderRowsField(
        help_text=f"1 to {MAX_IMPORT_ROWS} providers, each like the body of "
        "`POST /providers/`. A row whose slug (given, or made from the name) matches an "
        "existing provider updates it: fields present are set, absent ones kept."
    )
    mode = EnumChoiceField(
        "ImportModeEnum",
        required=False,
        help_text="`all_or_nothing` (default): one invalid row and nothing is written. "
        "`best_effort`: the valid rows are written.",
    )


class ImportModeQuerySerializer(StrictSerializer):
    mode = EnumChoiceField("ImportModeEnum", required=False)


class ImportSummarySerializer(StrictSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    superseded = serializers.IntegerField()
    invalid = serializers.IntegerField()


class ImportRowSerializer(StrictSerializer):
    row = serializers.IntegerField(help_text="1-based position among the data rows.")
    slug = serializers.CharField(allow_null=True, help_text="The provider the row addresses.")
    action = EnumChoiceField(
        "ImportRowActionEnum",
        help_text="What was done (or, when nothing was applied, would have been done).",
    )
    provider_id = serializers.IntegerField(
        allow_null=True, help_text="The provider's id once it exists."
    )
    errors = ProblemErrorItemSerializer(
        many=True, help_text="Problems of this row; `field` is relative to the row."
    )


class ImportReportSerializer(StrictSerializer):
    mode = EnumChoiceField("ImportModeEnum")
    applied = serializers.BooleanField(help_text="Whether the changes were written.")
    summary = ImportSummarySerializer()
    rows = ImportRowSerializer(many=True)


class ImportProblemSerializer(ProblemSerializer):
    """A rejected import: problem details, plus the per-row report when rows were read."""

    report = ImportReportSerializer(required=False)

    class Meta:
        ref_name = "ImportProblem"
