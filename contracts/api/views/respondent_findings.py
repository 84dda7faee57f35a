"""The findings a provider's contact sees through the response link, and replies."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from config.filters import refuse_unknown_parameters
from contracts import finding_thread
from contracts.api.serializers.findings import (
    RespondentFindingSerializer,
    RespondentFindingsSerializer,
    RespondentReplySerializer,
)
from responses.api.views_respondent import TAG, RespondentView


class RespondentFindingsView(RespondentView):
    operation_id_prefix = "respondent_findings"

    def _shared(self):
        request = self.contact.request
        return finding_thread.shared_with(
            request.evaluation.organization_id, request.candidate.provider_id
        )

    @extend_schema(
        tags=[TAG],
        summary="List the findings the buyer shared with your provider",
        description="The findings still to remediate the buyer wrote to your provider "
        "about, with their threads, soonest due first.",
        responses=RespondentFindingsSerializer,
    )
    def get(self, request):
        refuse_unknown_parameters(request, ())
        body = {"findings": [self._row(finding) for finding in self._shared()]}
        return Response(RespondentFindingsSerializer(body).data)

    @extend_schema(
        tags=[TAG],
        summary="Reply about a finding",
        description="Adds your message to the finding's thread; the buyer is emailed. "
        "A finding not shared with your provider (or closed) is a 404.",
        request=RespondentReplySerializer,
        responses={201: RespondentFindingSerializer},
    )
    def post(self, request):
        payload = RespondentReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = get_object_or_404(self._shared(), pk=payload.validated_data["finding"])
        finding_thread.provider_reply(self.contact, finding, payload.validated_data["message"])
        finding = self._shared().get(pk=finding.pk)
        return Response(RespondentFindingSerializer(self._row(finding)).data, status=201)

    @staticmethod
    def _row(finding) -> dict:
        return {
            "id": finding.pk,
            "title": finding.title,
            "description": finding.description,
            "severity": finding.severity,
            "status": finding.status,
            "due_date": finding.due_date,
            "question_code": finding.question_code,
            "messages": list(finding.messages.all()),
        }
