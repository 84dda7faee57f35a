from django.urls import path, re_path

from console import views

urlpatterns = [
    path("console/", views.console, name="console"),
    re_path(r"^console/(?P<route>.+)$", views.console, name="console-route"),
]
