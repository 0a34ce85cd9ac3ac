from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = set(user.groups.values_list("name", flat=True))
    return {"demo_mode": settings.DEMO_MODE, "user_roles": roles}
