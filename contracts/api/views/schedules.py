"""A contract's reassessment schedule: one per contract, at
``/contracts/{id}/reassessment-schedule/`` (actions of the contract viewset)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.filters import refuse_unknown_parameters
from contracts import schedules
from contracts.api.serializers.reassessments import ReassessmentScheduleSerializer
from contracts.models import ReassessmentSchedule

NO_SCHEDULE = "This contract has no reassessment schedule."


class ReassessmentScheduleActions:
    """GET, PATCH (creates it when there is none) and DELETE of the schedule."""

    def _schedule_or_404(self, contract) -> ReassessmentSchedule:
        schedule = ReassessmentSchedule.objects.filter(contract=contract).first()
        if schedule is None:
            raise NotFound(NO_SCHEDULE)
        return schedule

    def _schedule_body(self, schedule) -> dict:
        context = {**self.get_serializer_context(), "next_due": schedules.next_due(schedule)}
        return ReassessmentScheduleSerializer(schedule, context=context).data

    @extend_schema(
        operation_id="contracts_reassessment_schedule_retrieve",
        summary="Get a contract's reassessment schedule",
        description="With the next round's due date. A 404 when none is set.",
        responses=ReassessmentScheduleSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="reassessment-schedule",
        url_name="reassessment-schedule",
        filter_backends=[],
        pagination_class=None,
    )
    def reassessment_schedule(self, request, pk=None):
        refuse_unknown_parameters(request, ())
        return Response(self._schedule_body(self._schedule_or_404(self.get_object())))

    @extend_schema(
        operation_id="contracts_reassessment_schedule_partial_update",
        summary="Set or change a contract's reassessment schedule (admins)",
        description="Creates the schedule when there is none (`mode` and its setting "
        "required), else changes the fields sent. The next round counts from the last "
        'round with the new settings (docs/contracts.md, "Reassessment").',
        request=ReassessmentScheduleSerializer,
        responses=ReassessmentScheduleSerializer,
    )
    @reassessment_schedule.mapping.patch
    def set_reassessment_schedule(self, request, pk=None):
        refuse_unknown_parameters(request, ())
        contract = self.get_object()
        instance = ReassessmentSchedule.objects.filter(contract=contract).first()
        serializer = ReassessmentScheduleSerializer(
            instance, data=request.data, partial=instance is not None
        )
        serializer.is_valid(raise_exception=True)
        schedule = schedules.save_schedule(
            contract, instance, self.principal.user, dict(serializer.validated_data)
        )
        return Response(self._schedule_body(schedule))

    @extend_schema(
        operation_id="contracts_reassessment_schedule_destroy",
        summary="Remove a contract's reassessment schedule (admins)",
        description="Rounds opened stay; beat opens no more.",
        request=None,
        responses={204: None},
    )
    @reassessment_schedule.mapping.delete
    def delete_reassessment_schedule(self, request, pk=None):
        refuse_unknown_parameters(request, ())
        schedule = self._schedule_or_404(self.get_object())
        schedules.delete_schedule(schedule, self.principal.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
