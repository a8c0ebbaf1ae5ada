from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "fazhi.oversight"
    verbose_name = "行政执法监督（案卷评查、年度执法统计）"
