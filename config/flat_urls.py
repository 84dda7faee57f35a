"""Routes of the flat read collections (config/flat_collections.py)."""

from rest_framework.routers import SimpleRouter

from config.flat_collections import FLAT_COLLECTIONS

router = SimpleRouter()
for viewset in FLAT_COLLECTIONS:
    router.register(viewset.flat_path, viewset, basename=f"flat-{viewset.flat_path}")

urlpatterns = router.urls
