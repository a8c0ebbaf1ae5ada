from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.cases"
    verbose_name = "行政执法案件（全过程记录、法制审核、案卷评查）"
