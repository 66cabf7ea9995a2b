from django.apps import AppConfig


class HooksConfig(AppConfig):
    name = "dangjian.hooks"
    label = "hooks"
    verbose_name = "Extension points"

    def ready(self) -> None:
        from dangjian.hooks import autodiscover

        autodiscover()
