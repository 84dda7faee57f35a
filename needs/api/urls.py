from rest_framework.routers import SimpleRouter

from needs.api import views

router = SimpleRouter()
router.register("needs-assessments", views.NeedsAssessmentViewSet, basename="needs-assessment")

urlpatterns = router.urls
