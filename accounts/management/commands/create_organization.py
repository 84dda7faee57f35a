from django.core.management.base import BaseCommand

from accounts.services import bootstrap_organization


class Command(BaseCommand):
    help = (
        "Create (or reuse) an organization and its first admin, issue the admin a fresh "
        "API token and print it. Safe to run repeatedly: the previous token of the same "
        "name is revoked (or kept, with --keep-existing-token)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--admin", required=True, help="Username of the first admin.")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None, help="Set the admin's password.")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Make the admin a Django superuser (the /admin/ site spans "
            "every organization: for operators only).",
        )
        parser.add_argument("--token-name", default="bootstrap")
        parser.add_argument(
            "--keep-existing-token",
            action="store_true",
            help="If the admin still holds a valid token of this name, keep it and issue "
            "none (tokens are stored hashed, so it cannot be shown again).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print only the token.")

    def handle(self, *args, **options):
        organization, membership, raw = bootstrap_organization(
            name=options["name"],
            slug=options["slug"],
            username=options["admin"],
            email=options["email"],
            password=options["password"],
            superuser=options["superuser"],
            token_name=options["token_name"],
            keep_existing_token=options["keep_existing_token"],
        )
        if raw is None:
            self.stdout.write(
                f"Organization '{organization.slug}', admin '{membership.user.username}': "
                f"the API token '{options['token_name']}' issued earlier is still valid and "
                "was kept. Tokens are shown only once; to replace it, run this command "
                "again without --keep-existing-token (that revokes the old one)."
            )
            return
        if options["quiet"]:
            self.stdout.write(raw)
            return
        self.stdout.write(
            f"Organization '{organization.slug}', admin '{membership.user.username}'.\n"
            f"API token (shown once): {raw}\n"
            f"Use it as: Authorization: Bearer {raw}"
        )
