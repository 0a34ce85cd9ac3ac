from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteratureConfig(AppConfig):
    name = "facit.literature"
    verbose_name = _("Literature")
    label = "literature"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.literature.sections import extracted_from_reviews

        register_intervention_section(extracted_from_reviews, order=60)
