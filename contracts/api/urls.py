from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from contracts.api.views import contracts as views

router = SimpleRouter()
router.register("contracts", views.ContractViewSet, basename="contract")

nested = NestedSimpleRouter(router, "contracts", lookup="contract")
nested.register("sla-terms", views.ContractSlaViewSet, basename="contract-sla-term")

urlpatterns = [*router.urls, *nested.urls]
