from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from facit.core.audit import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.sign_in")


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="account.sign_out")


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The attempted username is kept (needed to see attacks); the password never is.
    audit_record(
        actor=None,
        action="account.sign_in_failed",
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


def _sync_staff_flag(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """Keep `is_staff` in step with role membership so the admin site follows the roles."""
    from facit.accounts.models import User
    from facit.accounts.roles import STAFF_ROLES

    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, User):
        return
    instance.__dict__.pop("_role_cache", None)
    is_staff = instance.groups.filter(name__in=STAFF_ROLES).exists()
    if instance.is_staff != is_staff and not instance.is_superuser:
        User.objects.filter(pk=instance.pk).update(is_staff=is_staff)
        instance.is_staff = is_staff


def _connect() -> None:
    from django.db.models.signals import m2m_changed

    from facit.accounts.models import User

    m2m_changed.connect(
        _sync_staff_flag, sender=User.groups.through, dispatch_uid="facit-sync-staff"
    )


_connect()
