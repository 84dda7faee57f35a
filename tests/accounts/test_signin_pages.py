"""Signing in and out, the failed sign-in throttle, password reset by email without
enumeration, one's own tokens page, and sessions next to Bearer tokens."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.forms import TOO_MANY_ATTEMPTS
from accounts.models import ApiToken, Role
from notifications.models import Kind, Notification
from tests.factories import MembershipFactory, token_for

PASSWORD = "correct horse battery staple 42"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dana():
    membership = MembershipFactory(
        role=Role.EVALUATOR, user__username="dana", user__email="dana@buyer.example"
    )
    membership.user.set_password(PASSWORD)
    membership.user.save()
    return membership


def _sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


class TestSignIn:
    def test_a_sign_in_without_csrf_is_refused_with_a_page(self, dana):
        response = _sign_in(Client(enforce_csrf_checks=True), "dana", PASSWORD)
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert "_auth_user_id" not in response.wsgi_request.session

    def test_the_page_has_labelled_fields_and_a_csrf_token(self, client):
        html = client.get("/accounts/login/").content.decode()
        assert '<label for="id_username"' in html and '<label for="id_password"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert '<html lang="en">' in html

    def test_sign_in_and_out(self, dana):
        client = Client()
        response = _sign_in(client, "dana", PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
        assert client.get("/api/v1/me/").json()["user"]["username"] == "dana"
        assert client.get("/accounts/logout/").status_code == 405  # sign out is a POST
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/api/v1/me/").status_code in (401, 403)

    def test_a_wrong_password_and_an_unknown_user_answer_alike(self, dana, client):
        wrong = _sign_in(client, "dana", "nope")
        unknown = _sign_in(client, "nobody", "nope")
        assert wrong.status_code == unknown.status_code == 200

        def message(response):
            return re.search(
                r'<ul class="errorlist[^"]*">.*?</ul>', response.content.decode(), re.S
            )

        assert message(wrong).group(0) == message(unknown).group(0)

    @pytest.mark.parametrize("username", ["dana", "nobody"])
    def test_repeated_failures_lock_the_username_out(self, dana, settings, username):
        settings.LOGIN_FAILURE_LIMIT = 3
        for number in range(3):
            address = f"10.0.0.{number + 1}"  # a different address each time
            _sign_in(Client(), username, "nope", REMOTE_ADDR=address)
        locked = _sign_in(Client(), username, PASSWORD, REMOTE_ADDR="10.0.0.9")
        assert locked.status_code == 200
        assert TOO_MANY_ATTEMPTS in locked.content.decode()
        assert "_auth_user_id" not in locked.wsgi_request.session

    def test_repeated_failures_lock_the_address_out_for_every_username(self, dana, settings):
        settings.LOGIN_FAILURE_LIMIT = 3
        for number in range(3):
            _sign_in(Client(), f"guess{number}", "nope", REMOTE_ADDR="10.0.0.7")
        locked = _sign_in(Client(), "dana", PASSWORD, REMOTE_ADDR="10.0.0.7")
        assert TOO_MANY_ATTEMPTS in locked.content.decode()
        elsewhere = _sign_in(Client(), "dana", PASSWORD, REMOTE_ADDR="10.0.0.8")
        assert elsewhere.status_code == 302

    def test_the_window_ends(self, dana, settings):
        settings.LOGIN_FAILURE_LIMIT = 1
        _sign_in(Client(), "dana", "nope")
        assert TOO_MANY_ATTEMPTS in _sign_in(Client(), "dana", PASSWORD).content.decode()
        cache.clear()  # what the window's expiry does
        assert _sign_in(Client(), "dana", PASSWORD).status_code == 302

    def test_a_successful_sign_in_counts_no_failure(self, dana, settings):
        settings.LOGIN_FAILURE_LIMIT = 2
        for _ in range(3):
            assert _sign_in(Client(), "dana", PASSWORD).status_code == 302


class TestPasswordReset:
    def _ask(self, client, email):
        return client.post("/accounts/password-reset/", {"email": email})

    def test_known_and_unknown_addresses_get_the_same_answer(self, dana, client):
        known = self._ask(client, "DANA@buyer.example")
        unknown = self._ask(client, "nobody@buyer.example")
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
        page = client.get(known["Location"])
        assert page.status_code == 200
        (row,) = Notification.objects.filter(kind=Kind.PASSWORD_RESET)
        assert (row.to_email, row.recipient) == ("dana@buyer.example", dana.user)

    def test_the_link_sets_a_new_password_once(self, dana):
        client = Client()
        self._ask(client, "dana@buyer.example")
        body = Notification.objects.get(kind=Kind.PASSWORD_RESET).body_text
        link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body).group(1)
        form = client.get(link, follow=True)
        assert form.status_code == 200
        set_url = form.redirect_chain[-1][0]
        new = "a different battery staple 77"
        done = client.post(set_url, {"new_password1": new, "new_password2": new})
        assert done.status_code == 302
        dana.user.refresh_from_db()
        assert dana.user.check_password(new)
        again = Client().get(link, follow=True)
        assert "does not work" in again.content.decode()

    def test_reset_emails_to_one_address_are_limited_per_hour(self, dana, client, settings):
        settings.PASSWORD_RESET_EMAILS_PER_HOUR = 2
        answers = {self._ask(client, "dana@buyer.example")["Location"] for _ in range(4)}
        assert answers == {"/accounts/password-reset/sent/"}
        assert Notification.objects.filter(kind=Kind.PASSWORD_RESET).count() == 2

    def test_an_account_without_a_password_may_choose_one(self, admin_client):
        admin_client.post(
            "/api/v1/members/", {"username": "erin", "email": "erin@buyer.example"}, format="json"
        )
        self._ask(Client(), "erin@buyer.example")
        assert Notification.objects.filter(kind=Kind.PASSWORD_RESET).count() == 1

    def test_the_email_goes_out_over_smtp(
        self, dana, smtp_server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            self._ask(Client(), "dana@buyer.example")
        (message,) = smtp_server.messages
        assert message["To"] == "dana@buyer.example"
        assert "/accounts/reset/" in message.get_body(("plain",)).get_content()


class TestTokensPage:
    def test_create_shows_the_secret_once_and_it_works(self, dana):
        client = Client()
        client.force_login(dana.user)
        created = client.post("/accounts/tokens/", {"name": "laptop", "scope": "read"})
        assert created.status_code == 200
        assert "no-store" in created["Cache-Control"]
        raw = re.search(r'id="new-token">([^<]+)<', created.content.decode()).group(1)
        token = ApiToken.objects.get(name="laptop")
        assert (token.membership, token.scope) == (dana, "read")
        listed = client.get("/accounts/tokens/").content.decode()
        assert "laptop" in listed and raw not in listed
        bearer = APIClient()
        bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert bearer.get("/api/v1/me/").json()["scope"] == "read"

    def test_revoke_own_but_not_others(self, dana):
        client = Client()
        client.force_login(dana.user)
        token_for(dana)
        own = ApiToken.objects.get(membership=dana)
        colleague = MembershipFactory(organization=dana.organization, role=Role.VIEWER)
        token_for(colleague)
        theirs = ApiToken.objects.get(membership=colleague)
        assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
        assert client.post(f"/accounts/tokens/{own.pk}/revoke/").status_code == 302
        own.refresh_from_db(), theirs.refresh_from_db()
        assert own.revoked_at is not None and theirs.revoked_at is None

    def test_bad_input_is_a_400_page(self, dana):
        client = Client()
        client.force_login(dana.user)
        response = client.post("/accounts/tokens/", {"name": "x" * 101, "scope": "all"})
        assert response.status_code == 400
        assert not ApiToken.objects.exists()

    def test_signed_out_goes_to_sign_in(self, client):
        response = client.get("/accounts/tokens/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/accounts/tokens/"

    def test_a_member_of_several_organizations_chooses_one(self, dana):
        second = MembershipFactory(user=dana.user, role=Role.ADMIN)
        client = Client()
        client.force_login(dana.user)
        page = client.get("/accounts/tokens/").content.decode()
        assert second.organization.name in page and 'name="organization"' in page
        chosen = client.post("/accounts/organization/", {"organization": second.organization.slug})
        assert chosen.status_code == 302
        client.post("/accounts/tokens/", {"name": "second", "scope": "read_write"})
        assert ApiToken.objects.get(name="second").membership == second
        assert client.get("/api/v1/me/").json()["membership"] == second.pk
        stranger = MembershipFactory()
        refused = client.post(
            "/accounts/organization/", {"organization": stranger.organization.slug}
        )
        assert refused.status_code == 404
        assert client.get("/api/v1/me/").json()["membership"] == second.pk

    def test_signed_in_without_an_organization(self):
        user = get_user_model().objects.create_user("loner", password=PASSWORD)
        client = Client()
        client.force_login(user)
        assert client.get("/accounts/tokens/").status_code == 403


class TestSessionsAndTokens:
    def test_a_session_write_without_csrf_is_a_403_problem(self, dana):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(dana.user)
        response = client.post("/api/v1/api-tokens/", {"name": "x"}, format="json")
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert "CSRF" in response.json()["detail"]
        assert not ApiToken.objects.filter(name="x").exists()

    def test_a_session_write_with_csrf_goes_through(self, dana):
        client = APIClient(enforce_csrf_checks=True)
        client.get("/accounts/login/")  # sets the CSRF cookie, as a browser gets it
        csrf = client.cookies["csrftoken"].value
        signed_in = client.post(
            "/accounts/login/",
            {"username": "dana", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            format="multipart",
        )
        assert signed_in.status_code == 302
        csrf = client.cookies["csrftoken"].value
        response = client.post(
            "/api/v1/api-tokens/", {"name": "x"}, format="json", HTTP_X_CSRFTOKEN=csrf
        )
        assert response.status_code == 201

    def test_a_bearer_write_needs_no_csrf_token(self, dana):
        client = APIClient(enforce_csrf_checks=True)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(dana)}")
        response = client.post("/api/v1/api-tokens/", {"name": "y"}, format="json")
        assert response.status_code == 201, response.content


def test_an_absurdly_long_password_is_refused_before_any_check(dana, client):
    response = _sign_in(client, "dana", "x" * 5000)
    assert response.status_code == 200
    assert "at most 4096" in response.content.decode()


@pytest.mark.parametrize("login_url", ["/admin/login/", "/api-auth/login/"])
def test_every_password_sign_in_obeys_the_same_lockout(dana, settings, login_url):
    """The admin's and the browsable API's sign-in count failures and refuse alike."""
    settings.LOGIN_FAILURE_LIMIT = 2
    dana.user.is_staff = True
    dana.user.save()
    for _ in range(2):
        Client().post(login_url, {"username": "dana", "password": "nope"})
    client = Client()
    client.post(login_url, {"username": "dana", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    locked = _sign_in(Client(), "dana", PASSWORD)
    assert TOO_MANY_ATTEMPTS in locked.content.decode()
