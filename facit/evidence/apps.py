from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "facit.evidence"
    label = "evidence"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.evidence.synthesis_section import synthesis_section

        register_intervention_section(synthesis_section, order=50)
