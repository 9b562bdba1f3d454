"""Seed the four tools and the built-in certification rule sets (data, not schema)."""

from django.db import migrations

TOOLS = {
    "NQAS": "National Quality Assurance Standards",
    "KAYAKALP": "Kayakalp",
    "LAQSHYA": "LaQshya",
    "MUSQAN": "MusQan",
}


def seed(apps, schema_editor):
    from srishti.scoring.criteria import SEED_RULE_SETS

    Tool = apps.get_model("checklists", "Tool")
    RuleSet = apps.get_model("checklists", "CertificationRuleSet")
    for code, name in TOOLS.items():
        Tool.objects.get_or_create(code=code, defaults={"name": name})
    for data in SEED_RULE_SETS:
        RuleSet.objects.get_or_create(
            code=data["code"],
            defaults={
                "tool": Tool.objects.get(code=str(data["tool"]).upper()),
                "facility_types": list(data.get("facility_types", [])),
                "definition": dict(data),
            },
        )


def unseed(apps, schema_editor):
    from srishti.scoring.criteria import SEED_RULE_SETS

    RuleSet = apps.get_model("checklists", "CertificationRuleSet")
    RuleSet.objects.filter(code__in=[d["code"] for d in SEED_RULE_SETS],
                           versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
