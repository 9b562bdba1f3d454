"""The library extended by CSV (`srishti indicators import`) and by the admin page."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from django.urls import reverse

from srishti.core.errors import DomainError
from srishti.indicators.csv_import import COLUMNS, export_csv, indicators_import
from srishti.indicators.models import Indicator, IndicatorValue

from .conftest import save


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def write(path, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


NEW = {"code": "KMC", "name_en": "Kangaroo mother care", "name_hi": "कंगारू मदर केयर",
       "departments": "SNCU;Labour Room", "facility_types": "DH;CHC",
       "numerator_en": "Low-birth-weight babies given KMC",
       "numerator_hi": "केएमसी पाने वाले कम वज़न के शिशु",
       "denominator_en": "Low-birth-weight babies", "denominator_hi": "कम वज़न के शिशु",
       "multiplier": "x100", "direction": "higher", "benchmark": "80",
       "measurable_element": "H2.1", "standard": "H2"}


def test_an_export_imports_back_unchanged(library, tmp_path):
    path = tmp_path / "library.csv"
    path.write_text(export_csv(), encoding="utf-8")
    summary = indicators_import(path)
    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == len(library)


def test_a_new_indicator_is_added_with_its_rules(library, tmp_path):
    summary = indicators_import(write(tmp_path / "new.csv", [NEW]))
    assert summary.created == ["KMC"]
    kmc = Indicator.objects.get(code="KMC")
    assert kmc.multiplier == 100 and kmc.departments == ["SNCU", "Labour Room"]
    assert kmc.numerator_le_denominator is True and kmc.numerator_whole is True


@pytest.mark.parametrize("multiplier,expected", [
    ("1", 1), ("100", 100), ("x1,000", 1000), ("1,00,000", 100_000), ("per lakh", 100_000),
])
def test_every_multiplier_is_read_from_its_usual_spellings(library, tmp_path, multiplier,
                                                           expected):
    indicators_import(write(tmp_path / "m.csv", [{**NEW, "multiplier": multiplier}]))
    assert Indicator.objects.get(code="KMC").multiplier == expected


@pytest.mark.parametrize("change,message", [
    ({"multiplier": "10"}, "row 2, column multiplier: '10' is not one of 1, 100, 1000"),
    ({"direction": "up"}, "row 2, column direction: 'up' is neither higher nor lower"),
    ({"name_hi": ""}, "row 2, column name_hi: is empty"),
    ({"facility_types": "DH;HOSPITAL"}, "column facility_types: unknown facility type"),
    ({"numerator_le_denominator": "maybe"}, "column numerator_le_denominator: 'maybe'"),
    ({"benchmark": "high"}, "column benchmark: 'high' is not a number"),
    ({"code": "X" * 21}, "column code: is longer than 20 characters"),
    ({"name_en": "bad\x0bname"}, "column name_en: holds a control character"),
])
def test_a_bad_row_is_named_and_nothing_is_written(library, tmp_path, change, message):
    good = {**NEW, "code": "GOOD"}
    path = write(tmp_path / "bad.csv", [good, {**NEW, **change}])
    with pytest.raises(DomainError, match=message.replace("row 2", "row 3")):
        indicators_import(path)
    assert not Indicator.objects.filter(code__in=["GOOD", "KMC"]).exists()


def test_a_changed_multiplier_from_csv_rewrites_stored_values(cast, library, tmp_path):
    save(cast.f, cast.facility_team, department="Labour Room", NND=("3", "400"))
    rows = rows_of(export_csv())
    for row in rows:
        if row["code"] == "NND":
            row["multiplier"] = "100"
    summary = indicators_import(write(tmp_path / "fix.csv", rows))
    assert summary.updated == ["NND"]
    assert IndicatorValue.objects.get().value == 0.75


def test_dry_run_writes_nothing(library, tmp_path):
    summary = indicators_import(write(tmp_path / "new.csv", [NEW]), dry_run=True)
    assert summary.created == ["KMC"]
    assert not Indicator.objects.filter(code="KMC").exists()


def test_the_command_line_imports_and_reports_a_bad_row_in_one_line(tmp_path):
    path = write(tmp_path / "bad.csv", [{**NEW, "multiplier": "10"}])
    done = subprocess.run([sys.executable, "-m", "srishti.cli", "indicators", "import",
                           str(path)], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "SRISHTI_VAR": str(tmp_path)})
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("srishti: bad.csv, row 2, column multiplier: '10' is not "
                                   "one of 1, 100, 1000, 100000 (per lakh)")


def test_the_admin_page_saves_through_the_service(client, cast, library):
    from tests.factories import UserFactory

    save(cast.f, cast.facility_team, department="Labour Room", NND=("3", "400"))
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    nnd = Indicator.objects.get(code="NND")
    url = reverse("admin:indicators_indicator_change", args=[nnd.pk])
    assert client.get(url).status_code == 200
    data = {f: getattr(nnd, f) for f in COLUMNS if f not in ("departments", "facility_types")}
    data.update(departments='["Labour Room"]', facility_types="[]", multiplier=100,
                benchmark="", numerator_le_denominator="on", numerator_whole="on",
                denominator_whole="on", active="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorValue.objects.get().value == 0.75
