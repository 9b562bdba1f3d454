"""Bihar's nine divisions and the districts in each (38 in all).

Used by the demo and by the data migration that places the districts of a state named
Bihar in their divisions.
"""

BIHAR_DIVISIONS: dict[str, tuple[str, ...]] = {
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

DIVISION_OF_DISTRICT: dict[str, str] = {
    district: division for division, districts in BIHAR_DIVISIONS.items()
    for district in districts
}
