from typing import Any

from django.core.management.base import BaseCommand

from facit.accounts import roles
from facit.accounts.models import User
from facit.accounts.services import user_create
from facit.core.seeds import registered_demo_seeds

DEMO_PASSWORD = "facit-demo-password"  # noqa: S105 - invented demo accounts, FACIT_DEMO only
DEMO_USERS = {
    "demo-reviewer": [roles.REVIEWER],
    "demo-reviewer-2": [roles.REVIEWER],
    "demo-editor": [roles.EDITOR],
    "demo-panel": [roles.PANEL_MEMBER],
    "demo-coordinator": [roles.COORDINATOR],
    "demo-provider": [roles.PROVIDER],
    "demo-admin": [roles.ADMIN],
}


class Command(BaseCommand):
    help = "Create invented demonstration accounts and data (idempotent). Never use in production."

    def handle(self, *args: Any, **options: Any) -> None:
        roles.sync_roles()
        for username, role_names in DEMO_USERS.items():
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=DEMO_PASSWORD, roles=role_names)
        self.stdout.write(
            f"Demo accounts ({', '.join(DEMO_USERS)}) use the password '{DEMO_PASSWORD}'; "
            "each sets up its authenticator app at first sign-in."
        )
        for seed in registered_demo_seeds():
            self.stdout.write(seed())
