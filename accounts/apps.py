from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organizations and access"

    def ready(self):
        # Here, not at the top: accounts.signin reaches the models, which cannot be
        # imported while the app registry is still loading.
        from django.contrib.auth.signals import user_login_failed

        from accounts import signin, token_cache

        user_login_failed.connect(signin.count_failure, dispatch_uid="accounts.signin")
        token_cache.connect()
