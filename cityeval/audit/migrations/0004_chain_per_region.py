"""One audit chain per region. The existing chain becomes chain 0 (the national chain) as it is:
every existing entry and the one head row get chain 0, and chain 0's hash format leaves the chain
key out, so no hash changes (tests/audit/test_chains.py::test_an_existing_single_chain_still_verifies)."""


from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models


def move_head_sequence(apps, schema_editor):
    # Migration 0002 wrote chain 0's head with an explicit id, which PostgreSQL's sequence did not
    # see: the next head (a region's) would get that id again. Set the sequence past it.
    connection = schema_editor.connection
    head = apps.get_model("audit", "AuditChainHead")
    for statement in connection.ops.sequence_reset_sql(no_style(), [head]):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_position_required'),
        ('evaluations', '0001_initial'),
        ('regions', '0002_boundary_file'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditchainhead',
            name='chain',
            field=models.PositiveBigIntegerField(default=0, unique=True),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='chain',
            field=models.PositiveBigIntegerField(default=0, verbose_name='rantai'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='position',
            field=models.PositiveBigIntegerField(verbose_name='urutan dalam rantai'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['chain', 'id'], name='audit_chain_id_idx'),
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.UniqueConstraint(fields=('chain', 'position'), name='audit_chain_position'),
        ),
        migrations.RunPython(move_head_sequence, migrations.RunPython.noop),
    ]
