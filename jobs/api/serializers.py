from rest_framework import serializers

from config.serializers import StrictModelSerializer
from jobs.models import Job


class JobSerializer(StrictModelSerializer):
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
