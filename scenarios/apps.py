from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = "scenarios"

    def ready(self) -> None:
        from reports.pack import APPENDIX_PROVIDERS
        from scenarios.appendix import pack_tables

        if pack_tables not in APPENDIX_PROVIDERS:
            APPENDIX_PROVIDERS.append(pack_tables)
