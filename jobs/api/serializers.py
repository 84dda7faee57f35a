from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.serializers import StrictModelSerializer
from jobs.models import Job

# What a job's work returns (jobs.services.run_job): ids, counts and flags.
RESULT_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "integer"},
            {"type": "boolean"},
            {"type": "string"},
            {"type": "array", "items": {"type": "integer"}},
        ]
    },
}


@extend_schema_field(RESULT_SCHEMA)
class JobResultField(serializers.JSONField):
    pass


class JobSerializer(StrictModelSerializer):
    result = JobResultField(
        read_only=True,
        allow_null=True,
        help_text="Small summary of the outcome (ids, counts); null until it succeeded.",
    )
    result_url = serializers.SerializerMethodField(
        help_text="Absolute URL of what the job produced, once it succeeded."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "error",
            "result",
            "result_url",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_result_url(self, obj) -> str | None:
        if not obj.result_path:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(obj.result_path) if request else obj.result_path
