from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "fazhi.discretion"
    verbose_name = "行政裁量基准"
