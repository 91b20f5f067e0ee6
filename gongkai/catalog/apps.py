from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.catalog import workbench
        from gongkai.core import workbench as core_workbench

        core_workbench.register(workbench.provider, order=20)
