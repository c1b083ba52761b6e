from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "hyrkoll.core"
    label = "core"

    def ready(self) -> None:
        from hyrkoll.core import choices

        choices.install(model for model in apps.get_models() if model.__module__.startswith("hyrkoll."))
