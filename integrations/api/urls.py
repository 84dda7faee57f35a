from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from integrations.api import views

router = SimpleRouter()
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("deleted", views.TombstoneViewSet, basename="tombstone")

nested = NestedSimpleRouter(router, "webhooks", lookup="webhook")
nested.register("deliveries", views.DeliveryViewSet, basename="webhook-delivery")

urlpatterns = [*router.urls, *nested.urls]
