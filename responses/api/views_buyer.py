"""Buyer API: response requests nested under an evaluation, and their review."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.filters import refuse_unknown_parameters
from evaluations.api.views_inputs import EvaluationChildMixin
from responses.api import serializers as rs
from responses.models import ResponseEvent, ResponseRequest
from responses.selectors import answers_view
from responses.services import requests, review


class LinkStateContext:
    """Serializers judge each contact's link expired or active at one instant, the
    same for every request of a page (config/flat_collections.py reads with it too)."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema_view(
    list=extend_schema(
        summary="List the evaluation's response requests",
        description="Each request with its contacts and the state of their links.",
    ),
    retrieve=extend_schema(
        summary="Show a response request",
        description="Its status, due date, message and contacts.",
    ),
    create=extend_schema(
        summary="Ask a candidate's contacts to respond",
        description="Each contact is emailed their own link to this candidate's response. "
        "At most one open request per candidate (409).",
        request=rs.ResponseRequestCreateSerializer,
        responses={201: rs.ResponseRequestSerializer},
    ),
)
class ResponseRequestViewSet(
    LinkStateContext,
    EvaluationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests to a candidate's contacts to answer the questionnaire themselves
    (docs/responses.md). Members read; admins send, revoke, resend and review."""

    queryset = ResponseRequest.objects.select_related(
        "evaluation__organization", "candidate"
    ).prefetch_related("contacts")
    serializer_class = rs.ResponseRequestSerializer
    operation_id_prefix = "evaluation_response_requests"
    extra_error_codes = (409,)

    def create(self, request, evaluation_pk=None):
        payload = rs.ResponseRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        candidate = (
            self.parent.candidates.select_related("provider").filter(pk=data["candidate"]).first()
        )
        if candidate is None:
            raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
        created = requests.create_request(
            self.parent,
            user=self.principal.user,
            candidate=candidate,
            due_date=data["due_date"],
            message=data["message"],
            contacts=data["contacts"],
        )
        created = self.get_queryset().get(pk=created.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def _contact(self, request):
        payload = rs.ContactChoiceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        contact = self.get_object().contacts.filter(pk=payload.validated_data["contact"]).first()
        if contact is None:
            raise ValidationError({"contact": ["Not a contact of this request."]})
        return contact

    def _fresh(self):
        return Response(self.get_serializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)

    @extend_schema(
        summary="Revoke a contact's link",
        description="The link stops working at once; resend to issue a new one.",
        request=rs.ContactChoiceSerializer,
        responses=rs.ResponseRequestSerializer,
    )
    @action(detail=True, methods=["post"], url_path="revoke-link")
    def revoke_link(self, request, evaluation_pk=None, pk=None):
        requests.revoke_link(self._contact(request), user=self.principal.user)
        return self._fresh()

    @extend_schema(
        summary="Send a contact a new link",
        description="The old link (revoked or not) stops working; the new one gets a new "
        "expiry. Limited per contact (429 too soon, 409 too often).",
        request=rs.ContactChoiceSerializer,
        responses=rs.ResponseRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, evaluation_pk=None, pk=None):
        requests.resend_link(self._contact(request), user=self.principal.user)
        return self._fresh()

    @extend_schema(
        summary="Show the respondent's answers, reviews and threads",
        description="Every question asked, in questionnaire order.",
        responses=rs.ResponseAnswersSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def answers(self, request, evaluation_pk=None, pk=None):
        refuse_unknown_parameters(request, ())
        instance = self.get_object()
        return Response(
            rs.ResponseAnswersSerializer(answers_view(instance, for_respondent=False)).data
        )

    @extend_schema(
        summary="Accept answers or return them with a clarification question",
        description="All items or none. Accepted answers become the candidate's answers "
        "(audited with source `respondent`); the request is `returned` while a question "
        "is returned and `accepted` once every answer is. The questions returned are "
        "emailed to every contact whose link works, each with a new link that replaces "
        "the previous one; the same review sent again mails nobody twice.",
        request=rs.ReviewItemSerializer(many=True),
        responses=rs.ResponseAnswersSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, evaluation_pk=None, pk=None):
        instance = self.get_object()
        payload = rs.ReviewItemSerializer(data=request.data, many=True, max_length=review.MAX_ITEMS)
        payload.is_valid(raise_exception=True)
        instance = review.review_answers(
            instance, user=self.principal.user, items=payload.validated_data
        )
        instance = ResponseRequest.objects.select_related(
            "evaluation__organization", "candidate"
        ).get(pk=instance.pk)
        return Response(
            rs.ResponseAnswersSerializer(answers_view(instance, for_respondent=False)).data
        )

    @extend_schema(
        summary="Write in a question's thread without reviewing it",
        description="Ask the respondent about one answer (or a question not answered yet) "
        "and leave its review and the request's status as they are; the respondent can "
        "reply in the thread until the response is accepted (409 after). The answer is "
        "then accepted or returned with `review` as usual. Every contact whose link works "
        "is emailed the message with a new link, at most once per "
        "`RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS`: later messages of a window are on the "
        "page only.",
        request=rs.BuyerMessageSerializer,
        responses={201: rs.ResponseAnswersSerializer},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, evaluation_pk=None, pk=None):
        instance = self.get_object()
        payload = rs.BuyerMessageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review.post_message(
            instance,
            user=self.principal.user,
            question_code=payload.validated_data["question"],
            body=payload.validated_data["message"],
        )
        return Response(
            rs.ResponseAnswersSerializer(answers_view(instance, for_respondent=False)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="List the request's audit trail",
        description="Every action on the request, buyer's and respondent's, newest first, "
        "with who acted (a respondent by name and address).",
        responses=rs.ResponseEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, evaluation_pk=None, pk=None):
        refuse_unknown_parameters(
            request, (self.paginator.page_query_param, self.paginator.page_size_query_param)
        )
        instance = self.get_object()
        page = self.paginate_queryset(ResponseEvent.objects.filter(request=instance))
        return self.get_paginated_response(rs.ResponseEventSerializer(page, many=True).data)
