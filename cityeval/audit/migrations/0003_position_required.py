"""Every entry now has its chain position; make it required and unique (no two heads)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_hash_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="position",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="urutan dalam rantai"),
        ),
    ]
