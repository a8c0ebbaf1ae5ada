"""Seed the 执法领域 code list and the certificate rule versions (DOMAIN.md §5.1).

No Shanxi certificate rules were found (DOMAIN.md §9, gap 5): every number below is a configurable default taken from
other provinces' published practice and marked **GUESS** in its note; change them by entering a new rule version in
the back office (``services.create_certificate_rule``), never by editing rows certificates were issued under.

Domain numbers (two digits, used in certificate numbers) are fazhi's own: no national code list was found. The first
six are the “5+1” fields of the comprehensive enforcement reform (市场监管、生态环境、文化市场、交通运输、农业 +
应急管理); ``00`` is reserved for certificates covering several domains.
"""

from datetime import date

from django.db import migrations

DOMAINS = [
    ("market", "01", "市场监管"),
    ("environment", "02", "生态环境"),
    ("culture", "03", "文化市场"),
    ("transport", "04", "交通运输"),
    ("agriculture", "05", "农业农村"),
    ("emergency", "06", "应急管理"),
    ("urban", "07", "城市管理"),
    ("natural_resources", "08", "自然资源"),
    ("health", "09", "卫生健康"),
    ("housing", "10", "住房和城乡建设"),
    ("water", "11", "水利"),
    ("forestry", "12", "林业和草原"),
    ("commerce", "13", "商务"),
    ("education", "14", "教育"),
    ("human_resources", "15", "人力资源和社会保障"),
    ("civil_affairs", "16", "民政"),
    ("other", "99", "其他"),
]

COMMON_NOTE = (
    "GUESS（山西省执法证件管理规定未找到，DOMAIN.md §9）：有效期 5 年、每年审验一次参照河北某县“每五年换发一次、每年审验一次”"
    "与湖南 5 年有效期；年审宽限 90 日、到期前 90 日内换证、考试合格 60 分为推定；考试合格有效期 60 个月参照浙江"
    "“考试合格有效期 5 年”。申领条件（在编在职、年满 18 周岁，工勤人员、劳动合同工、临时工不得申领）参照《河南省行政执法条例》"
    "第二十、二十一条。"
)

RULES = [
    {
        "name": "山西省行政执法证件（旧版样式）",
        "valid_from": date(2000, 1, 1),
        "valid_to": date(2022, 10, 31),
        "legal_source": "《中华人民共和国行政处罚法》第三十七条（2017）/第四十二条（2021）：执法人员应当具有执法资格；"
        "山西省行政执法证件管理办法（未找到原文，各项数值为推定）",
        "note": COMMON_NOTE + " 起始日期 2000-01-01 亦为推定：更早发证的证件请先补录规则版本。",
    },
    {
        "name": "全国统一样式《中华人民共和国行政执法证》",
        "valid_from": date(2022, 11, 1),
        "valid_to": None,
        "legal_source": "司法部统一行政执法证件样式（2022年11月1日起启用，见湖南省实施情况）；"
        "《中华人民共和国行政处罚法》（2021）第四十二条",
        "note": COMMON_NOTE + " 2022-11-01 起全国统一样式（湖南：首批证件有效期至 2027-10-31），山西具体规定未核实。",
    },
]

RULE_DEFAULTS = {
    "validity_years": 5,
    "annual_review": True,
    "review_interval_months": 12,
    "review_grace_days": 90,
    "renewal_window_days": 90,
    "exam_valid_months": 60,
    "pass_score": 60,
    "confidence": "low",
}


def seed(apps, schema_editor):
    Domain = apps.get_model("enforcement", "Domain")
    CertificateRule = apps.get_model("enforcement", "CertificateRule")
    for sort, (code, number, name) in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(code=code, defaults={"number": number, "name": name, "sort": sort})
    for rule in RULES:
        CertificateRule.objects.update_or_create(valid_from=rule["valid_from"], defaults={**RULE_DEFAULTS, **rule})


def unseed(apps, schema_editor):
    apps.get_model("enforcement", "CertificateRule").objects.filter(valid_from__in=[r["valid_from"] for r in RULES]).delete()
    apps.get_model("enforcement", "Domain").objects.filter(code__in=[d[0] for d in DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
