from django.db import migrations, models
from django.db.models import Min


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Rounds published before the field existed take their first publication's time."""
    Round = apps.get_model("rounds", "Round")
    Decision = apps.get_model("review", "Decision")
    first = (
        Decision.objects.filter(published_at__isnull=False)
        .values("application__round_id")
        .annotate(first=Min("published_at"))
    )
    for row in first:
        Round.objects.filter(pk=row["application__round_id"]).update(published_at=row["first"])


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0001_initial"),
        ("review", "0002_inspection"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="published_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="decisions published at"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
