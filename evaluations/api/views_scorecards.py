"""Organization-wide scorecards: the feed integrations sync from."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.tenancy import TenantReadOnlyViewSet
from config.conditional import ConditionalMixin
from config.filters import IdFilter, refuse_unknown_parameters
from config.sync import SyncMixin, UpdatedSinceFilter
from evaluations.api.serializers_scorecards import (
    ScorecardDetailSerializer,
    ScorecardSerializer,
    summary_representations,
)
from evaluations.models import Scorecard
from evaluations.selectors import SummaryRows, ranks_for, scorecard_summaries


class ScorecardFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter()
    latest = django_filters.BooleanFilter(field_name="is_latest")
    # Plain numbers: an unknown id filters to nothing rather than failing.
    evaluation = IdFilter(field_name="evaluation_id")
    candidate = IdFilter(field_name="candidate_id")

    class Meta:
        model = Scorecard
        fields = ["evaluation", "candidate", "disqualified"]


class ScorecardViewSet(ConditionalMixin, SyncMixin, TenantReadOnlyViewSet):
    """Scorecards of every evaluation. Immutable: a changed input makes a new version."""

    queryset = scorecard_summaries().order_by("updated_at", "id")
    operation_id_prefix = "scorecards"
    filterset_class = ScorecardFilter
    ordering_fields = ["updated_at", "overall", "created_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        # Only a single scorecard's read includes the full explanation.
        return queryset.defer(None) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return ScorecardSerializer if self.action in ("list", "sync") else ScorecardDetailSerializer

    def list(self, request, *args, **kwargs):
        # Pages of ScorecardSerializer's representation (``sync`` too), built from
        # plain rows: no model instances, no per-field serializer calls. (A comment,
        # not a docstring: the schema takes an action's docstring as its description.)
        rows = self.paginate_queryset(SummaryRows(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(summary_representations(rows, ranks_for(rows)))

    def get_serializer(self, *args, **kwargs):
        instances = args[0] if args else None
        if instances is not None:
            cards = list(instances) if kwargs.get("many") else [instances]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["ranks"] = ranks_for(cards)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(responses=ScorecardSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None):
        """Every version of this candidate's scorecard, newest first."""
        refuse_unknown_parameters(request, ())
        card = self.get_object()
        versions = scorecard_summaries().filter(candidate_id=card.candidate_id).order_by("-version")
        return Response(self.get_serializer(versions, many=True).data)
