from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    verbose_name = "指标、仪表盘与法治政府建设年度报告"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("metrics")  # each app's metrics.py registers its figures (reports.registry)
