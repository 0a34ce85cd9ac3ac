from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "facit.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from facit.core.extensions import register_intervention_section
        from facit.core.seeds import register_seed
        from facit.directory.seed import seed_directory
        from facit.directory.views import intervention_section

        register_seed(seed_directory)
        register_intervention_section(intervention_section, order=50)
