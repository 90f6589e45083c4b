# A team leader's or an administrator's lift of a login lockout is a security event row.
# Only the choices change: no SQL on either engine, so SQLite does not remake the table
# (which would drop its append-only triggers; test_chain checks they are in place).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0008_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('read', 'Read'), ('create', 'Create'), ('update', 'Update'), ('sign', 'Sign'), ('correct', 'Correct'), ('assign', 'Assign'), ('print', 'Print'), ('export', 'Export'), ('emergency', 'Emergency access'), ('review', 'Mark reviewed'), ('login_failed', 'Failed login'), ('lockout', 'Lockout'), ('lockout_lift', 'Lockout lifted'), ('mfa_change', 'Second factor changed'), ('session_end', 'Session ended'), ('role_change', 'Role changed')], max_length=20),
        ),
    ]
