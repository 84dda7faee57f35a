"""The page that loads the console: every address under /console/ is the same page
(the app routes in the browser), for signed-in people only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie


@login_required
@ensure_csrf_cookie
def console(request, route=""):
    return render(
        request,
        "console/index.html",
        {
            "basename": reverse("console"),
            "entrypoint": reverse("api-root"),
            "doc_entrypoint": reverse("schema-admin"),
            "login_url": f"{reverse('login')}?next={reverse('console')}",
            "logout_url": reverse("logout"),
        },
    )
