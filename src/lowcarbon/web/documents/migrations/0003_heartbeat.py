"""A document job's last sign of life (issue 11): a job left running by a stopped worker is
recognised by its silence. Jobs that exist get the time of the migration: one still marked
running or queued is judged from then on."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_task_list_work_plan"),
    ]

    operations = [
        migrations.AddField(
            model_name="generateddocument",
            name="heartbeat_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="last sign of life"
            ),
        ),
    ]
