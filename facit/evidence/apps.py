from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _synthesis_section(request: HttpRequest, intervention: Any) -> str:
    # Imported on first use: the statistics stack (scipy) costs over a second to import,
    # which every management command would otherwise pay.
    from facit.evidence.synthesis.section import synthesis_section

    return synthesis_section(request, intervention)


class EvidenceConfig(AppConfig):
    name = "facit.evidence"
    verbose_name = _("Evidence")
    label = "evidence"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.evidence import revision

        revision.connect()

        register_intervention_section(_synthesis_section, order=50)
