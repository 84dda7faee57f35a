"""Flat read collections of the nested resources (docs/integrating.md).

``/evaluations/{evaluation_pk}/candidates/`` is a collection only a client that knows
the parent finds; generic admin UIs find resources by their collection path and
follow references by id. Each nested resource therefore also answers, read-only, at
a flat path (``/candidates/``, ``/candidates/{id}/``) beside its nested routes, with
its parent as a filter (``?evaluation=``). A flat collection reads with exactly the
nested route's serializer, filters, ordering, roles and organization scoping (and
ratings with the blind-rating rule across evaluations); writes stay on the nested
routes, where the parent's rules apply.
"""

import django_filters
from django.core.exceptions import ImproperlyConfigured
from rest_framework import mixins, viewsets

from accounts.tenancy import TenantViewSetMixin, tenant_lookup
from config.filters import IdFilter
from contracts.api.views import contracts as contract_views
from contracts.api.views import documents as contract_document_views
from contracts.api.views import performance as contract_performance_views
from contracts.api.views import reassessments as contract_reassessment_views
from evaluations.api import views_inputs, views_sourcing
from evaluations.models import Proposal, Rating
from evaluations.selectors import visible_ratings_everywhere
from integrations.api import views as integration_views
from providers.api import children as provider_children
from providers.api.mixins import ProviderContextMixin
from questionnaires import selectors as questionnaire_selectors
from questionnaires.api import views as questionnaire_views
from questionnaires.api.serializers import VersionDetailSerializer, VersionSerializer
from questionnaires.models import QuestionnaireVersion
from responses.api import views_buyer as response_views

READ_ACTIONS = ("list", "retrieve")


def _filterset(nested, model, parent: str, lookup: str):
    """The nested route's filters plus the parent's id."""
    base = getattr(nested, "filterset_class", None) or django_filters.FilterSet
    attrs = {
        parent: IdFilter(field_name=lookup, help_text=f"Only those of this {parent} (its id).")
    }
    fields = list(getattr(nested, "filterset_fields", None) or ())
    if base is django_filters.FilterSet:
        attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    return type(f"Flat{model.__name__}Filter", (base,), attrs)


def flat_collection(
    path: str, nested, *, parent: str, lookup: str, queryset=None, bases=(), **overrides
):
    """A read-only viewset at ``path`` of every object ``nested`` serves, whatever its
    parent.

    ``lookup`` goes from the model to the parent's id (``candidate__evaluation_id``);
    ``queryset`` replaces the nested one's (a ``get_queryset`` of the nested view that
    needs its parent); ``bases`` are mixins the nested view's serializers rely on.
    """
    queryset = nested.queryset if queryset is None else queryset
    model = queryset.model
    if tenant_lookup(model) is None and not hasattr(model, "tenant_q"):
        # Unscoped, the flat list would show every organization's rows.
        raise ImproperlyConfigured(f"{model.__name__} is not scoped to an organization.")
    roles = getattr(nested, "action_roles", {})
    attrs = {
        "__doc__": nested.__doc__,
        "__module__": __name__,
        "queryset": queryset,
        "serializer_class": nested.serializer_class,
        "filterset_class": _filterset(nested, model, parent, lookup),
        "flat_path": path,
        "nested_viewset": nested,
        "operation_id_prefix": path.replace("-", "_"),
        "permission_classes": nested.permission_classes,
        "action_roles": {action: roles[action] for action in READ_ACTIONS if action in roles},
        **overrides,
    }
    for name in ("ordering_fields", "ordering", "search_fields"):
        if hasattr(nested, name):
            attrs.setdefault(name, getattr(nested, name))
    name = f"Flat{nested.__name__}"
    return type(
        name,
        (
            *bases,
            TenantViewSetMixin,
            mixins.ListModelMixin,
            mixins.RetrieveModelMixin,
            viewsets.GenericViewSet,
        ),
        attrs,
    )


class _VisibleRatings:
    """Ratings as blind rating lets the caller see them, in every evaluation of the
    caller's organization (the nested route's rule, evaluation by evaluation)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rating.objects.none()
        return visible_ratings_everywhere(self.principal)


class _VersionQuerysets:
    """The nested route's querysets: counts on lists, the structure on reads."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return questionnaire_selectors.version_list_queryset(queryset)
        return questionnaire_selectors.versions_with_structure(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return VersionSerializer
        return VersionDetailSerializer


EVALUATION = {"parent": "evaluation", "lookup": "evaluation_id"}
CANDIDATE_EVALUATION = {"parent": "evaluation", "lookup": "candidate__evaluation_id"}
PROVIDER = {"parent": "provider", "lookup": "provider_id", "bases": (ProviderContextMixin,)}

# Every nested resource, flat.
FLAT_COLLECTIONS = [
    flat_collection("candidates", views_inputs.CandidateViewSet, **EVALUATION),
    flat_collection("evaluators", views_inputs.EvaluatorViewSet, **EVALUATION),
    flat_collection("answers", views_inputs.AnswerViewSet, **CANDIDATE_EVALUATION),
    flat_collection(
        "ratings",
        views_inputs.RatingViewSet,
        queryset=Rating.objects.all(),
        bases=(_VisibleRatings,),
        **CANDIDATE_EVALUATION,
    ),
    flat_collection("overrides", views_inputs.OverrideViewSet, **CANDIDATE_EVALUATION),
    flat_collection(
        "proposals",
        views_sourcing.ProposalViewSet,
        # Costs need each proposal's evaluation, which the nested route has as parent.
        queryset=Proposal.objects.select_related("candidate__evaluation"),
        **CANDIDATE_EVALUATION,
    ),
    flat_collection("capability-offerings", provider_children.OfferingViewSet, **PROVIDER),
    flat_collection("references", provider_children.ReferenceViewSet, **PROVIDER),
    flat_collection("slas", provider_children.SlaTermViewSet, **PROVIDER),
    flat_collection("documents", provider_children.DocumentViewSet, **PROVIDER),
    flat_collection(
        "questionnaire-versions",
        questionnaire_views.QuestionnaireVersionViewSet,
        parent="questionnaire",
        lookup="questionnaire_id",
        queryset=QuestionnaireVersion.objects.all(),
        bases=(_VersionQuerysets,),
        # The nested route's operations are `questionnaire_versions_*` already.
        operation_id_prefix="versions",
        lookup_value_regex="[0-9]+",
    ),
    flat_collection(
        # Not `/deliveries/`: generic admins take a field named after a collection for a
        # reference to it, and a provider's `delivery` (how it delivers its services)
        # would become a link to webhook deliveries.
        "webhook-deliveries",
        integration_views.DeliveryViewSet,
        parent="webhook",
        lookup="webhook_id",
        # The nested route's operations are `webhook_deliveries_*` already.
        operation_id_prefix="deliveries",
    ),
    flat_collection(
        "response-requests",
        response_views.ResponseRequestViewSet,
        bases=(response_views.LinkStateContext,),
        **EVALUATION,
    ),
    flat_collection(
        "contract-sla-terms",
        contract_views.ContractSlaViewSet,
        parent="contract",
        lookup="contract_id",
    ),
    flat_collection(
        "sla-measurements",
        contract_performance_views.SlaMeasurementViewSet,
        parent="contract",
        lookup="term__contract_id",
    ),
    flat_collection(
        "reassessment-rounds",
        contract_reassessment_views.ReassessmentRoundViewSet,
        parent="contract",
        lookup="contract_id",
        bases=(contract_reassessment_views.RoundStateQueryset,),
    ),
    flat_collection(
        "contract-documents",
        contract_document_views.ContractDocumentViewSet,
        parent="contract",
        lookup="contract_id",
        # `contract_documents_*` are the nested route's operations already.
        operation_id_prefix="contracts_documents",
    ),
]
