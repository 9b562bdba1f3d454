"""Place the districts of a state named Bihar, when present, in their nine divisions.

Reversing takes the districts out of the divisions; the division rows are left, since
memberships and targets may point at them (the schema migration before this one drops
them when reversed too).
"""

from django.db import migrations

# Frozen here: a migration must not change when the module it came from does.
BIHAR_DIVISIONS = {
    "Bhagalpur": ("Bhagalpur", "Banka"),
    "Darbhanga": ("Darbhanga", "Madhubani", "Samastipur"),
    "Kosi": ("Saharsa", "Supaul", "Madhepura"),
    "Magadh": ("Gaya", "Jehanabad", "Arwal", "Nawada", "Aurangabad"),
    "Munger": ("Munger", "Jamui", "Khagaria", "Lakhisarai", "Begusarai", "Sheikhpura"),
    "Patna": ("Patna", "Nalanda", "Bhojpur", "Buxar", "Rohtas", "Kaimur"),
    "Purnia": ("Purnia", "Araria", "Katihar", "Kishanganj"),
    "Saran": ("Saran", "Siwan", "Gopalganj"),
    "Tirhut": ("Muzaffarpur", "East Champaran", "West Champaran", "Sitamarhi", "Sheohar",
               "Vaishali"),
}


def place_districts(apps, schema_editor):
    State = apps.get_model("geography", "State")
    Division = apps.get_model("geography", "Division")
    District = apps.get_model("geography", "District")
    for state in State.objects.filter(name="Bihar"):
        for name, districts in BIHAR_DIVISIONS.items():
            found = District.objects.filter(state=state, name__in=districts, division=None)
            if not found.exists():
                continue
            division, _ = Division.objects.get_or_create(state=state, name=name)
            found.update(division=division)


def unplace_districts(apps, schema_editor):
    State = apps.get_model("geography", "State")
    Division = apps.get_model("geography", "Division")
    District = apps.get_model("geography", "District")
    for state in State.objects.filter(name="Bihar"):
        divisions = Division.objects.filter(state=state, name__in=BIHAR_DIVISIONS)
        District.objects.filter(division__in=divisions).update(division=None)


class Migration(migrations.Migration):

    dependencies = [("geography", "0002_divisions_and_blocks")]

    operations = [migrations.RunPython(place_districts, unplace_districts)]
