"""Load the rule sets added to scoring.criteria.SEED_RULE_SETS since 0002 (AAM-SC,
MusQan); a database migrated after them already has them from 0002."""

from django.db import migrations

CODES = ("nqas-aam-sc-2020", "musqan-2021")


def seed(apps, schema_editor):
    from srishti.scoring.criteria import SEED_RULE_SETS

    Tool = apps.get_model("checklists", "Tool")
    RuleSet = apps.get_model("checklists", "CertificationRuleSet")
    for data in SEED_RULE_SETS:
        if data["code"] not in CODES:
            continue
        RuleSet.objects.get_or_create(
            code=data["code"],
            defaults={
                "tool": Tool.objects.get(code=str(data["tool"]).upper()),
                "facility_types": list(data.get("facility_types", [])),
                "definition": dict(data),
            },
        )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("checklists", "CertificationRuleSet")
    RuleSet.objects.filter(code__in=CODES, versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("checklists", "0004_groups_themes_services_translations")]
    operations = [migrations.RunPython(seed, unseed)]
