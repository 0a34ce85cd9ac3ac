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
