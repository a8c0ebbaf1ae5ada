from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "fazhi.publicity"
    label = "publicity"
    verbose_name = "双公示与信用"
