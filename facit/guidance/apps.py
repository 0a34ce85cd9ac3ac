from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "facit.guidance"
    label = "guidance"
    verbose_name = _("Guidance")

    def ready(self) -> None:
        from facit.core.seeds import register_demo_seed
        from facit.guidance.seed import demo_guidance_load

        register_demo_seed(demo_guidance_load)
        from facit.guidance import selectors, services
        from facit.panel.hooks import Contributions, register_contributions

        register_contributions(
            Contributions(
                rounds=selectors.rounds_for_member,
                comments=selectors.member_comments,
                invitations_close=services.member_invitations_close,
                counts=selectors.member_contribution_counts,
                erase=services.member_contributions_erase,
            )
        )
