from django.db import migrations, models


def create_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True, verbose_name="序号")),
                ("occurred_at", models.DateTimeField(verbose_name="时间")),
                ("actor_id", models.BigIntegerField(blank=True, null=True, verbose_name="操作人ID")),
                ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="操作人")),
                ("agency_id", models.BigIntegerField(blank=True, null=True, verbose_name="所属机构ID")),
                ("agency_name", models.CharField(blank=True, max_length=200, verbose_name="所属机构")),
                ("request_id", models.CharField(blank=True, max_length=64, verbose_name="请求编号")),
                ("action", models.CharField(db_index=True, max_length=80, verbose_name="操作")),
                ("target_type", models.CharField(max_length=80, verbose_name="对象类型")),
                ("target_id", models.CharField(max_length=64, verbose_name="对象ID")),
                ("target_label", models.CharField(blank=True, max_length=300, verbose_name="对象")),
                ("before", models.JSONField(blank=True, null=True, verbose_name="变更前")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="变更后")),
                ("reason", models.TextField(blank=True, verbose_name="理由")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="前一事件哈希")),
                ("hash", models.CharField(max_length=64, verbose_name="哈希")),
            ],
            options={
                "verbose_name": "审计事件",
                "verbose_name_plural": "审计事件",
                "ordering": ["-seq"],
                "indexes": [
                    models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
                    models.Index(fields=["agency_id", "seq"], name="audit_agency_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0000000000000000000000000000000000000000000000000000000000000000", max_length=64)),
            ],
            options={"verbose_name": "审计链头", "verbose_name_plural": "审计链头"},
        ),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
