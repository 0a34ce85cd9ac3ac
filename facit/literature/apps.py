from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "facit.literature"
    label = "literature"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.literature.sections import extracted_from_reviews

        register_intervention_section(extracted_from_reviews, order=60)
