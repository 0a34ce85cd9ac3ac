from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "facit.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.core.seeds import register_seed
        from facit.directory.seed import seed_directory
        from facit.directory.views import intervention_section

        register_seed(seed_directory)
        from facit.directory.guide import guide_seed

        register_seed(guide_seed)
        from django.db.models.signals import post_delete, post_save

        from facit.directory.models import County, Municipality
        from facit.directory.search import places_invalidate

        for model in (County, Municipality):
            post_save.connect(places_invalidate, sender=model, dispatch_uid=f"places-{model}")
            post_delete.connect(places_invalidate, sender=model, dispatch_uid=f"places-d-{model}")
        register_intervention_section(intervention_section, order=50)
        from facit.directory.selectors import aftercare_services
        from facit.panel.hooks import register_aftercare_contacts

        register_aftercare_contacts(aftercare_services)
