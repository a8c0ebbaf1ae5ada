from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "fazhi.ingest"
    label = "ingest"
    verbose_name = "数据导入"
