"""Seed the indicator library (data, not schema): srishti.indicators.library."""

from django.db import migrations


def seed(apps, schema_editor):
    from srishti.indicators.library import SEED_INDICATORS

    Indicator = apps.get_model("indicators", "Indicator")
    for row in SEED_INDICATORS:
        data = dict(row)
        Indicator.objects.get_or_create(code=data.pop("code"), defaults=data)


def unseed(apps, schema_editor):
    from srishti.indicators.library import SEED_INDICATORS

    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=[row["code"] for row in SEED_INDICATORS],
                             values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
