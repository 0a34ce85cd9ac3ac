from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteratureConfig(AppConfig):
    name = "facit.literature"
    verbose_name = _("Literature")
    label = "literature"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.core.seeds import register_demo_seed
        from facit.literature.sections import extracted_from_reviews
        from facit.literature.seed import demo_review_load

        register_intervention_section(extracted_from_reviews, order=60)
        register_demo_seed(demo_review_load)
