"""Seed the programme rule sets (data, not schema): srishti.programmes.rules_data."""

from django.db import migrations


def seed(apps, schema_editor):
    from srishti.programmes.rules_data import SEED_RULE_SETS

    RuleSet = apps.get_model("programmes", "ProgrammeRuleSet")
    for data in SEED_RULE_SETS:
        RuleSet.objects.get_or_create(code=data["code"], defaults={
            "programme": data["programme"], "valid_from": data["valid_from"],
            "source": data["source"], "definition": dict(data)})


def unseed(apps, schema_editor):
    from srishti.programmes.rules_data import SEED_RULE_SETS

    RuleSet = apps.get_model("programmes", "ProgrammeRuleSet")
    RuleSet.objects.filter(code__in=[d["code"] for d in SEED_RULE_SETS],
                           records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
