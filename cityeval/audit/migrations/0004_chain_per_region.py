"""One audit chain per region. The existing chain becomes chain 0 (the national chain) as it is:
every existing entry and the one head row get chain 0, and chain 0's hash format leaves the chain
key out, so no hash changes (tests/audit/test_chains.py::test_an_existing_single_chain_still_verifies)."""


from django.conf import settings
from django.db import migrations, models


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
    ]
