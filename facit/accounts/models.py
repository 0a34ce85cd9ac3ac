from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A signed-in person. Roles are Django groups (see accounts.roles)."""

    def has_role(self, *roles: str) -> bool:
        """True if the person holds one of `roles`. Being a superuser grants no role: a
        superuser may read the Django admin and nothing more, unless given roles too."""
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_cache = cache
        return bool(cache.intersection(roles))
