"""Seed the default assessor eligibility rules and key roles (data, not schema)."""

from django.db import migrations


def seed(apps, schema_editor):
    from srishti.programme.defaults import seed as seed_defaults

    seed_defaults(apps.get_model("programme", "EligibilityRuleSet"),
                  apps.get_model("programme", "EligibilityRule"),
                  apps.get_model("programme", "KeyRole"))


def unseed(apps, schema_editor):
    from srishti.programme.defaults import ELIGIBILITY_RULE_SET, KEY_ROLES

    apps.get_model("programme", "EligibilityRuleSet").objects.filter(
        code=ELIGIBILITY_RULE_SET["code"]).delete()
    KeyRole = apps.get_model("programme", "KeyRole")
    for role, level, _types, _months in KEY_ROLES:
        KeyRole.objects.filter(role=role, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
