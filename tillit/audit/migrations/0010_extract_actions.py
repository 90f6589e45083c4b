# An evaluator's order of an extract and a leader's decision on it are rows with no client
# (tillit/extracts). Only the choices change: no SQL on either engine, so SQLite does not
# remake the table (which would drop its append-only triggers).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0009_lockout_lift'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('read', 'Read'), ('create', 'Create'), ('update', 'Update'), ('sign', 'Sign'), ('correct', 'Correct'), ('assign', 'Assign'), ('print', 'Print'), ('export', 'Export'), ('emergency', 'Emergency access'), ('review', 'Mark reviewed'), ('login_failed', 'Failed login'), ('lockout', 'Lockout'), ('lockout_lift', 'Lockout lifted'), ('mfa_change', 'Second factor changed'), ('session_end', 'Session ended'), ('role_change', 'Role changed'), ('extract_order', 'Extract ordered'), ('extract_decision', 'Extract approved or refused')], max_length=20),
        ),
    ]
