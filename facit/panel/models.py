"""Models of the panel domain: members under pseudonyms, their consents, fees, assessments.

A member's legal identity lives apart (`MemberIdentity`) and is read only through
`facit.panel.selectors.identity_for`, which checks the coordinator role and audits the read.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from facit.core.models import TimeStampedModel


class Purpose(models.TextChoices):
    REVIEW = "review", _("Reviewing drafts")
    QUOTE = "quote", _("Being quoted")
    CREDIT = "credit", _("Credit by pseudonym")
    CONTACT = "contact", _("Being contacted")


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        return self.filter(left_at__isnull=True)

    def invitable(self) -> MemberQuerySet:
        return self.active().filter(paused_at__isnull=True)


class Member(TimeStampedModel):
    """A panel member, known on the site only by a self-chosen pseudonym."""

    class LeaveChoice(models.TextChoices):
        DELETE = "delete", _("Delete my contributions")
        ANONYMISE = "anonymise", _("Keep my contributions without my pseudonym")

    # Opaque id for URLs: no names or content ever appear in a panel URL.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_member",
    )
    # Unique whatever the case ("Ugglan" and "ugglan" are one name): see Meta.constraints.
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    interruption_seen_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(_("left the panel"), null=True, blank=True)
    leave_choice = models.CharField(max_length=10, choices=LeaveChoice.choices, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), name="panel_member_pseudonym_ci_unique")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def display_name(self) -> str:
        """What staff pages show: the pseudonym, or "former member" once they have left."""
        return str(_("former member")) if self.left_at is not None else self.pseudonym

    def status(self) -> tuple[str, str]:
        """(code, label) of the member's state, for the coordinator's list."""
        if self.left_at is not None:
            return "left", str(_("left the panel"))
        if self.paused_at is not None:
            return "paused", str(_("paused"))
        withdrawn = [
            str(Purpose(p).label)
            for p in Purpose.values
            if self.consents.filter(purpose=p).exists() and not self.has_consent(p)
        ]
        if withdrawn:
            return "withdrawn", str(_("consent withdrawn for: %(what)s")) % {
                "what": ", ".join(withdrawn)
            }
        return "active", str(_("active"))

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    def has_consent(self, purpose: str) -> bool:
        return self.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


class MemberIdentity(TimeStampedModel):
    """Legal identity, contact and payment details. Read ONLY via selectors.identity_for."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="identity")
    legal_name = models.CharField(_("legal name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    payment_details = models.TextField(_("payment details"), blank=True)

    class Meta:
        verbose_name = _("member identity")
        default_permissions = ()

    def __str__(self) -> str:  # never the name: this may end up in logs
        return f"identity #{self.pk}"


class ConsentText(models.Model):
    """One version of the text a member agrees to for one purpose; never edited once published."""

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    number = models.PositiveIntegerField()
    text_sv = models.TextField()
    text_en = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "number"], name="panel_consenttext_unique")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.number}"

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_sv


class Consent(models.Model):
    """The ledger: one row per time a consent is given; withdrawal closes the row."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="panel_consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.purpose} #{self.pk}"


class Fee(models.Model):
    """An optional fee paid to a member; kept apart from what they wrote (coordinator only)."""

    # Kept for the books when a member is deleted, without the link (and the note emptied).
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="fees"
    )
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="panel_fee_positive")]

    def __str__(self) -> str:
        return f"fee #{self.pk}"


class Assessment(TimeStampedModel):
    """A member's view of an intervention: the panel's key, kept beside (never in) the level."""

    class Scale(models.IntegerChoices):
        NO = 1, _("No")
        PARTLY = 2, _("Partly")
        YES = 3, _("Yes")

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    intervention = models.ForeignKey(
        "evidence.Intervention", on_delete=models.CASCADE, related_name="panel_assessments"
    )
    relevant = models.PositiveSmallIntegerField(
        _("relevant to those it is for"), choices=Scale.choices
    )
    respectful = models.PositiveSmallIntegerField(_("respectful language"), choices=Scale.choices)
    perpetrator_responsible = models.PositiveSmallIntegerField(
        _("places responsibility on the perpetrator, not the child"), choices=Scale.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "intervention"], name="panel_assessment_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"assessment #{self.pk}"


class AftercareRequest(models.Model):
    """A member asks the coordinator for a follow-up call after hard material."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="aftercare_requests")
    requested_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"aftercare request #{self.pk}"
