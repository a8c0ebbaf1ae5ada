from django.db import migrations

RULES = [
    (
        "escalate_after",
        "逾期后升级督办",
        3,
        "calendar",
        "GUESS（DOMAIN §3 未规定）：节点逾期后仍未办理满该期限的，升级至交办单位（上级督办机构）督办。"
        "按自然日计算，起算日为节点届满日；可在后台或 update_rule 中调整。",
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("supervision", "SupervisionRule")
    for code, name, days, unit, note in RULES:
        Rule.objects.get_or_create(code=code, defaults={"name": name, "days": days, "unit": unit, "note": note, "confidence": "low"})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
