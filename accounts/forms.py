"""Forms of the sign-in pages: signing in (throttled), resetting a password by
email, joining by invitation, and creating a personal API token."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from accounts import signin
from accounts.models import ApiToken, TokenScope
from notifications.models import Kind
from notifications.services import notify

TOO_MANY_ATTEMPTS = "Too many failed sign-in attempts. Try again later."


class SignInForm(AuthenticationForm):
    """Django's sign-in, saying so when repeated failures locked it (accounts.signin:
    the backend refuses and the signal counts; this form only words the refusal).

    The lockout is checked before the password, so a locked-out guess learns
    nothing, and its message is the same whether the username exists or not.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": TOO_MANY_ATTEMPTS,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django leaves the password unbounded; no real one is this long, and hashing
        # a megabyte-sized guess is work an attacker should not get for free.
        self.fields["password"].max_length = 4096
        self.fields["password"].validators.append(MaxLengthValidator(4096))

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = signin.client_address(self.request)
        if signin.is_locked_out(username, address):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through the notifications app (recorded, delivered
    by a worker after the request) instead of in the request.

    Accounts without a usable password are included: members added through the
    API get none, and the reset email is how they choose their first one. Past
    the hourly limit per address no email is sent, and the page says the same.
    """

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        if not signin.may_send_reset_email(to_email):
            return
        user = context["user"]
        notify(
            kind=Kind.PASSWORD_RESET,
            to_email=to_email,
            organization=None,
            recipient=user,
            context={
                "username": user.get_username(),
                "reset_path": reverse(
                    "password-reset-confirm",
                    kwargs={"uidb64": context["uid"], "token": context["token"]},
                ),
            },
        )


class JoinForm(forms.Form):
    """A new account for the invited address: a username (the address by default)
    and a password checked by AUTH_PASSWORD_VALIDATORS."""

    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise ValidationError("This username is taken; choose another one.", code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            candidate = get_user_model()(username=cleaned.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(max_length=ApiToken._meta.get_field("name").max_length)
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ_WRITE,
        help_text="Read only: GET requests only. Read and write: acts with your role.",
    )
