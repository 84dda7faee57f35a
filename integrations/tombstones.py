"""Tombstones: deletions of synced resources, for the `deleted` feed.

``post_delete`` receivers (connected in ``IntegrationsConfig.ready``) record one
row per deleted provider, evaluation, scorecard, report, contract and finding, whatever
deleted it
(API, admin, a cascade), inside the deleting transaction. Deleting a whole
organization records nothing: nobody is left to sync it.
"""

from django.db.models import QuerySet
from django.utils import timezone

from integrations.models import SyncResource, Tombstone

# model label -> (resource, how to find the organization id of an instance)
TRACKED = {
    "providers.Provider": SyncResource.PROVIDERS,
    "evaluations.Evaluation": SyncResource.EVALUATIONS,
    "evaluations.Scorecard": SyncResource.SCORECARDS,
    "evaluations.Report": SyncResource.REPORTS,
    "contracts.Contract": SyncResource.CONTRACTS,
    "contracts.Finding": SyncResource.FINDINGS,
}


def _organization_id(instance, using):
    organization_id = getattr(instance, "organization_id", None)
    if organization_id is not None:
        return organization_id
    # A scorecard belongs to its evaluation's organization. While a cascade runs
    # the evaluation row is deleted after its scorecards, so it is still there.
    from evaluations.models import Evaluation

    return (
        Evaluation.objects.using(using)
        .filter(pk=instance.evaluation_id)
        .values_list("organization_id", flat=True)
        .first()
    )


def _is_organization_deletion(origin) -> bool:
    from accounts.models import Organization

    if isinstance(origin, Organization):
        return True
    return isinstance(origin, QuerySet) and origin.model is Organization


def record_deletion(sender, instance, using, origin=None, **kwargs):
    if _is_organization_deletion(origin):
        return
    organization_id = _organization_id(instance, using)
    if organization_id is None:
        return
    Tombstone.objects.using(using).create(
        organization_id=organization_id,
        resource=TRACKED[sender._meta.label],
        object_id=instance.pk,
        deleted_at=timezone.now(),
    )
