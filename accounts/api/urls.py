from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("members", views.MembershipViewSet, basename="member")
router.register("api-tokens", views.ApiTokenViewSet, basename="api-token")
router.register("invitations", views.InvitationViewSet, basename="invitation")

urlpatterns = [
    path("organization/", views.CurrentOrganizationView.as_view(), name="organization"),
    path("me/", views.MeView.as_view(), name="me"),
    # Before the router's routes, whose `invitations/{id}/` would take "accept" for an id.
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept-api"),
    *router.urls,
]
