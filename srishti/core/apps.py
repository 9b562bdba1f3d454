from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "srishti.core"
    label = "core"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from .security import check_no_demo_password

        register(check_no_demo_password, Tags.security, deploy=True)
