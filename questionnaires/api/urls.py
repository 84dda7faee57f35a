from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from questionnaires.api import views

router = SimpleRouter()
router.register("questionnaires", views.QuestionnaireViewSet, basename="questionnaire")

versions = NestedSimpleRouter(router, "questionnaires", lookup="questionnaire")
versions.register("versions", views.QuestionnaireVersionViewSet, basename="questionnaire-version")

urlpatterns = [*router.urls, *versions.urls]
