from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.tenancy import TenantReadOnlyViewSet
from jobs import services
from jobs.api.serializers import JobSerializer
from jobs.kinds import JobKind
from jobs.models import Job


class JobViewSet(TenantReadOnlyViewSet):
    """Background work: poll a job until it is `succeeded` or `failed`."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    operation_id_prefix = "jobs"
    bodyless_actions = ("ping",)
    filterset_fields = ["status", "kind"]
    ordering_fields = ["created_at", "updated_at"]

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def ping(self, request):
        """Queue a no-op job: a health check of the queue and its workers (admins)."""
        job = services.submit(
            self.principal.organization, JobKind.PING, created_by=self.principal.user
        )
        job.refresh_from_db()  # with an eager queue it has already run
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )
