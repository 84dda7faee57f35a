"""Answers, ratings, sheets and overrides."""

from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.fields import AnswerValueField
from config.serializers import StrictModelSerializer, StrictSerializer
from evaluations.models import Answer, Override, Rating


class AnswerItemSerializer(StrictSerializer):
    candidate = serializers.IntegerField(help_text="Candidate id.")
    question = serializers.CharField(max_length=40, help_text="Question code.")
    value = AnswerValueField(
        allow_null=True,
        help_text="As the question's kind requires: boolean; option value; list of option "
        "values; number; integer 0..scale_max; text; list of the provider's document ids. "
        "`null` clears the answer.",
    )


class UpsertResultSerializer(StrictSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    cleared = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField()


class AnswerSerializer(StrictModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    value = AnswerValueField(read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "candidate", "question", "value", "updated_at"]
        read_only_fields = fields


class RatingItemSerializer(StrictSerializer):
    candidate = serializers.IntegerField()
    question = serializers.CharField(max_length=40)
    score = serializers.IntegerField(min_value=0, max_value=10)
    comment = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class RatingSerializer(StrictModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    evaluator_username = serializers.CharField(
        source="evaluator.membership.user.username", read_only=True
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "candidate",
            "question",
            "evaluator",
            "evaluator_username",
            "score",
            "comment",
            "updated_at",
        ]
        read_only_fields = fields


class SheetSubmitSerializer(StrictSerializer):
    candidate = serializers.IntegerField()


class SheetSerializer(StrictSerializer):
    candidate = serializers.IntegerField(source="candidate_id")
    evaluator = serializers.IntegerField(source="evaluator_id")
    submitted_at = serializers.DateTimeField()


class OverrideSerializer(TenantModelSerializer):
    question = serializers.CharField(source="question.code", max_length=40)
    score = serializers.FloatField(min_value=0, max_value=1)
    rationale = serializers.CharField(max_length=10000)
    set_by = serializers.CharField(source="set_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Override
        fields = ["id", "candidate", "question", "score", "rationale", "set_by", "updated_at"]
        read_only_fields = ["id", "set_by", "updated_at"]
        extra_kwargs = {
            "candidate": {
                "queryset": Override._meta.get_field("candidate").related_model.objects.all()
            }
        }
