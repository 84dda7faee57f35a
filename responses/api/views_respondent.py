"""Respondent API: what a provider's contact does with their link (tag "Respondents").

Authenticated by the link token alone (``responses.api.authentication``): the
views see one contact's request and nothing else, so there is no id to guess.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from config.conditional import PreconditionFailed, PreconditionRequired
from config.filters import refuse_unknown_parameters
from config.parsers import MultiPartParser
from config.throttling import AnonRateThrottle
from responses import rules
from responses.api import serializers as rs
from responses.api.authentication import (
    IsRespondent,
    RespondentLinkAuthentication,
    RespondentLinkThrottle,
)
from responses.selectors import answers_view
from responses.services import evidence, respondent
from responses.services.questions import asked_questions

TAG = "Respondents"
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The `ETag` of your last read of the answers (428 without it). Questions "
    "someone else changed since, to other values, are a 412 naming them; changes to "
    "other questions merge.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The draft version: send it back in `If-Match` when saving.",
)


class RespondentView(APIView):
    authentication_classes = [RespondentLinkAuthentication]
    permission_classes = [IsRespondent]
    throttle_classes = [AnonRateThrottle, RespondentLinkThrottle]

    @property
    def contact(self):
        return self.request.auth

    def response_request(self):
        request = self.contact.request
        request.refresh_from_db(fields=["status", "draft_version", "submitted_at"])
        return request

    def answers_response(self):
        request = self.response_request()
        body = rs.ResponseAnswersSerializer(answers_view(request, for_respondent=True)).data
        return Response(body, headers={"ETag": rules.draft_etag(request.pk, request.draft_version)})

    def summary_response(self):
        request = self.response_request()
        contact = self.contact
        body = {
            "id": request.pk,
            "buyer": request.evaluation.organization.name,
            "provider": request.candidate.provider.name,
            "contact": {"name": contact.name, "email": contact.email},
            "status": request.status,
            "due_date": request.due_date,
            "message": request.message,
            "draft_version": request.draft_version,
            "submitted_at": request.submitted_at,
        }
        return Response(rs.RespondentRequestSerializer(body).data)


class RespondentRequestView(RespondentView):
    operation_id_prefix = "respondent_request"

    @extend_schema(
        tags=[TAG],
        summary="Show the request behind your link",
        description="Who asks, for which provider, by when, and where the response stands.",
        responses=rs.RespondentRequestSerializer,
    )
    def get(self, request):
        refuse_unknown_parameters(request, ())
        return self.summary_response()


class RespondentQuestionnaireView(RespondentView):
    operation_id_prefix = "respondent_questionnaire"

    @extend_schema(
        tags=[TAG],
        summary="Show the questions to answer, by section",
        description="Only the questions that apply to the lots the provider bids on, with "
        "their text, help, kind and options.",
        responses=rs.AskedQuestionnaireSerializer,
    )
    def get(self, request):
        refuse_unknown_parameters(request, ())
        sections = [
            {
                "code": entry.section.code,
                "title": entry.section.title,
                "description": entry.section.description,
                "questions": [
                    {
                        "code": q.code,
                        "text": q.text,
                        "help_text": q.help_text,
                        "kind": q.kind,
                        "options": [
                            {"value": o["value"], "label": o.get("label") or o["value"]}
                            for o in q.options
                        ],
                        "scale_max": q.scale_max,
                    }
                    for q in entry.questions
                ],
            }
            for entry in asked_questions(self.response_request())
        ]
        return Response(rs.AskedQuestionnaireSerializer({"sections": sections}).data)


class RespondentAnswersView(RespondentView):
    operation_id_prefix = "respondent_answers"
    extra_error_codes = (412, 428)

    @extend_schema(
        tags=[TAG],
        summary="Show your draft answers, reviews and clarification threads",
        description="One entry per question asked; the `ETag` is the draft version.",
        responses=rs.ResponseAnswersSerializer,
        parameters=[ETAG],
    )
    def get(self, request):
        refuse_unknown_parameters(request, ())
        return self.answers_response()

    @extend_schema(
        tags=[TAG],
        summary="Save draft answers",
        description="Save any answers at any time (`null` clears one), all or nothing. "
        "Requires `If-Match` with the ETag of your last read.",
        request=rs.DraftSerializer,
        responses={200: rs.ResponseAnswersSerializer},
        parameters=[IF_MATCH, ETAG],
    )
    def patch(self, request):
        payload = rs.DraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        header = request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        base = rules.parse_version(header, self.contact.request_id)
        if base is None:
            raise PreconditionFailed("If-Match names no version of this response; read it again.")
        respondent.save_draft(
            self.contact, base_version=base, items=payload.validated_data["answers"]
        )
        return self.answers_response()


class RespondentClarificationView(RespondentView):
    operation_id_prefix = "respondent_clarifications"

    @extend_schema(
        tags=[TAG],
        summary="Answer a returned question's clarification",
        description="Adds your message to the question's thread; change the answer itself "
        "with a draft save.",
        request=rs.ReplySerializer,
        responses={201: rs.ResponseAnswersSerializer},
    )
    def post(self, request):
        payload = rs.ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        respondent.reply(
            self.contact,
            question_code=payload.validated_data["question"],
            body=payload.validated_data["message"],
        )
        response = self.answers_response()
        response.status_code = 201
        return response


class RespondentDocumentsView(RespondentView):
    operation_id_prefix = "respondent_documents"
    parser_classes = [MultiPartParser]
    extra_error_codes = (413, 415)

    @extend_schema(
        tags=[TAG],
        summary="List the evidence you uploaded",
        description="The documents your evidence answers may cite, by id, oldest first.",
        responses=rs.EvidenceListSerializer,
    )
    def get(self, request):
        refuse_unknown_parameters(request, ())
        documents = evidence.uploaded_documents(self.response_request())
        return Response(rs.EvidenceListSerializer({"documents": documents}).data)

    @extend_schema(
        tags=[TAG],
        summary="Upload an evidence document",
        description="Multipart form with `kind`, `title` and `file`, checked as the "
        "buyer's uploads are (empty: 400, too large: 413, other types or a content that "
        "does not match the extension: 415). At most 20 per response (409).",
        request={"multipart/form-data": rs.EvidenceUploadSerializer},
        responses={201: rs.EvidenceSerializer},
    )
    def post(self, request):
        payload = rs.EvidenceUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        document = evidence.upload_evidence(
            self.contact, kind=data["kind"], title=data["title"], upload=data["file"]
        )
        return Response(rs.EvidenceSerializer(document).data, status=201)


class RespondentSubmitView(RespondentView):
    operation_id_prefix = "respondent_submit"

    @extend_schema(
        tags=[TAG],
        summary="Submit the response for review",
        description="Hands the answers to the buyer. After a return, every returned "
        "question's clarification must be answered first (409 naming them).",
        request=None,
        responses=rs.RespondentRequestSerializer,
    )
    def post(self, request):
        if request.data:
            rs.StrictSerializer(data=request.data).is_valid(raise_exception=True)
        respondent.submit(self.contact)
        return self.summary_response()
