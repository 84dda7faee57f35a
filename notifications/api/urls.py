from rest_framework.routers import Route, SimpleRouter

from notifications.api import views


class SingletonRouter(SimpleRouter):
    """One resource per caller at the prefix itself (no id): GET reads it, PATCH changes it."""

    routes = [
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "retrieve", "patch": "partial_update"},
            name="{basename}",
            detail=False,
            initkwargs={"suffix": "Instance"},
        )
    ]


router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")
singletons = SingletonRouter()
singletons.register(
    "notification-preferences",
    views.NotificationPreferenceViewSet,
    basename="notification-preferences",
)

urlpatterns = [*router.urls, *singletons.urls]
