from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "facit.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from facit.accounts import signals  # noqa: F401 - connects sign-in auditing
        from facit.accounts.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="facit-sync-roles")
