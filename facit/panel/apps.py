from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelConfig(AppConfig):
    name = "facit.panel"
    label = "panel"
    verbose_name = _("Panel")

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.core.seeds import register_demo_seed, register_seed
        from facit.panel.sections import intervention_assessments
        from facit.panel.seed import consent_texts_load, demo_panel_load

        register_intervention_section(intervention_assessments, order=50)
        register_seed(consent_texts_load)
        register_demo_seed(demo_panel_load)
