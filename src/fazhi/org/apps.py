from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fazhi.org"
    label = "org"
    verbose_name = "区划与机构"
