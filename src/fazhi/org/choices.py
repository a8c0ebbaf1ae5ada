from django.db import models


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村级"


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    INSTITUTION = "institution", "事业单位"
    OTHER = "other", "其他组织"
