"""Organization-wide scorecards: the feed integrations sync from."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.tenancy import TenantReadOnlyViewSet, TenantViewSetMixin
from config.conditional import ConditionalMixin
from config.filters import (
    IdFilter,
    IdListFilter,
    StrictDjangoFilterBackend,
    refuse_unknown_parameters,
)
from config.sync import SyncMixin, UpdatedSinceFilter
from evaluations.api.serializers_scorecards import (
    FlatScorecardSerializer,
    ScorecardDetailSerializer,
    ScorecardSerializer,
    summary_representations,
)
from evaluations.models import Scorecard
from evaluations.record_conflicts import record_conflicts
from evaluations.selectors import FLAT_ROW_FIELDS, SummaryRows, flat_rows, scorecard_summaries


class ScorecardFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter()
    latest = django_filters.BooleanFilter(field_name="is_latest")
    # Plain numbers: an unknown id filters to nothing rather than failing.
    evaluation = IdFilter(field_name="evaluation_id")
    candidate = IdFilter(field_name="candidate_id")
    lot = django_filters.CharFilter(
        field_name="lot", max_length=40, help_text="A lot's code (`all` without lots)."
    )

    class Meta:
        model = Scorecard
        fields = ["evaluation", "candidate", "lot", "disqualified"]


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
        conflicts = record_conflicts({row.candidate_id for row in rows if row.is_latest})
        return self.get_paginated_response(summary_representations(rows, conflicts))

    @extend_schema(responses=ScorecardSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None):
        """Every version of this candidate's scorecard, newest first."""
        refuse_unknown_parameters(request, ())
        card = self.get_object()
        versions = scorecard_summaries().filter(candidate_id=card.candidate_id).order_by("-version")
        context = {
            **self.get_serializer_context(),
            "record_conflicts": record_conflicts([card.candidate_id]),
        }
        return Response(self.get_serializer(versions, many=True, context=context).data)


class FlatScorecardViewSet(
    SyncMixin, TenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Scorecards as flat rows with fixed columns, for CRMs: the same rows, ids,
    `(updated_at, id)` order, cursors and tombstones as `/scorecards/`
    (docs/integrating.md lists the columns)."""

    queryset = Scorecard.objects.order_by("updated_at", "id")
    serializer_class = FlatScorecardSerializer
    operation_id_prefix = "scorecards_flat"
    filterset_class = ScorecardFilter
    filter_backends = [StrictDjangoFilterBackend, IdListFilter]

    def list(self, request, *args, **kwargs):
        # Plain rows and one query for the page's external ids (``sync`` too).
        scorecards = SummaryRows(self.filter_queryset(self.get_queryset()), FLAT_ROW_FIELDS)
        rows = flat_rows(self.paginate_queryset(scorecards))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
