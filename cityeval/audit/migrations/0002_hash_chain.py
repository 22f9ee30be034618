"""Chain the audit log: position, previous hash and own hash for every entry, in id order."""

import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def chain_existing_entries(apps, schema_editor):
    # The hash format lives in cityeval.audit.chain; it must never change, so using it here is
    # the same as copying it.
    from cityeval.audit.chain import GENESIS, HEAD_ID, hash_fields

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    position, previous = 0, GENESIS
    batch = []
    for entry in AuditEntry.objects.using(db).order_by("id").iterator(chunk_size=BATCH):
        position += 1
        entry.position = position
        entry.previous_hash = previous
        entry.entry_hash = hash_fields(
            position=position,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            evaluation_id=entry.evaluation_id,
            region_id=entry.region_id,
            before=entry.before,
            after=entry.after,
            note=entry.note,
            previous_hash=previous,
        )
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.using(db).bulk_update(
                batch, ["position", "previous_hash", "entry_hash"]
            )
            batch = []
    if batch:
        AuditEntry.objects.using(db).bulk_update(batch, ["position", "previous_hash", "entry_hash"])
    AuditChainHead.objects.using(db).update_or_create(
        pk=HEAD_ID, defaults={"length": position, "last_hash": previous}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("length", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "verbose_name": "ujung rantai audit",
                "verbose_name_plural": "ujung rantai audit",
            },
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="waktu"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="position",
            field=models.PositiveBigIntegerField(null=True, verbose_name="urutan dalam rantai"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="hash entri sebelumnya"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash entri"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
