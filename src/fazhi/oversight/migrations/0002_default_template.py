"""Seed the default 案卷评查 scoring standard and its rating bands.

GUESS → data (DOMAIN.md §5.2, MEDIUM: several local standards agree on the structure, no Shanxi text found): 案卷形式
20 分 + 案卷内容 80 分, deductions per defect, veto items (基本标准) that make a file 不合格 whatever its score; rating
bands ≥90 优秀, ≥80 良好, ≥60 合格, else 不合格. Change them as data: ``services.create_template_version`` and the
admin, never this file.
"""

from decimal import Decimal

from django.db import migrations

NAME = "行政执法案卷评查标准（通用）"

# (section, points, [(text, item points, deduction per defect, veto, auto_check)])
SECTIONS = [
    (
        "案卷形式",
        20,
        [
            ("使用规定的执法文书格式", "2", "1", False, ""),
            ("文书填写规范、完整，无涂改", "4", "1", False, ""),
            ("一案一卷，使用统一封面", "3", "1", False, ""),
            ("卷内目录、备考表齐全", "3", "1", False, ""),
            ("按立案、调查取证、审查、决定、送达、执行顺序组卷", "4", "1", False, ""),
            ("逐页编号，页码位置、格式规范", "4", "1", False, ""),
        ],
    ),
    (
        "案卷内容",
        80,
        [
            ("实施主体合法（否决项）", "0", "0", True, ""),
            ("执法人员不少于两人（否决项，行政处罚法第四十二条）", "0", "0", True, "officers_lt_two"),
            ("执法人员具有执法资格（否决项）", "0", "0", True, "officer_no_certificate"),
            ("重大执法决定经法制审核（否决项，行政处罚法第五十八条）", "0", "0", True, "no_legal_review_major"),
            ("有法律依据、适用法律正确（否决项）", "0", "0", True, "no_legal_basis"),
            ("事实清楚，证据确凿充分", "20", "5", False, ""),
            ("定性准确，法律条款引用具体", "10", "5", False, ""),
            ("立案、告知、听证等程序合法", "15", "3", False, ""),
            ("法律文书依法送达、送达手续完备", "5", "2", False, "late_service"),
            ("在法定期限内作出决定", "5", "5", False, "late_decision"),
            ("执法决定按期公示", "5", "2", False, "late_publicity"),
            ("裁量适当，符合裁量基准", "10", "5", False, ""),
            ("执行到位，结案、归档及时", "10", "2", False, ""),
        ],
    ),
]
BANDS = [("excellent", "90"), ("good", "80"), ("pass", "60")]


def seed(apps, schema_editor):
    ReviewTemplate = apps.get_model("oversight", "ReviewTemplate")
    TemplateSection = apps.get_model("oversight", "TemplateSection")
    TemplateItem = apps.get_model("oversight", "TemplateItem")
    RatingBand = apps.get_model("oversight", "RatingBand")
    if ReviewTemplate.objects.filter(name=NAME).exists():
        return
    template = ReviewTemplate.objects.create(
        name=NAME,
        version=1,
        total=sum(points for _, points, _ in SECTIONS),
        note="推定（GUESS）：结构参考多地案卷评查标准（案卷形式20分、案卷内容80分、否决项）；分值与等次线可按本地标准新建版本调整。",
    )
    for order, (title, points, items) in enumerate(SECTIONS, start=1):
        section = TemplateSection.objects.create(template=template, order=order, title=title, points=points)
        for n, (text, item_points, deduction, veto, check) in enumerate(items, start=1):
            TemplateItem.objects.create(
                section=section,
                order=n,
                text=text,
                points=Decimal(item_points),
                deduction=Decimal(deduction),
                veto=veto,
                auto_check=check,
            )
    for rating, minimum in BANDS:
        RatingBand.objects.create(template=template, rating=rating, min_score=Decimal(minimum))


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
