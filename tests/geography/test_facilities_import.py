from pathlib import Path

import pytest

from srishti.cli import main
from srishti.core.errors import DomainError
from srishti.geography.models import Block, District, Facility
from srishti.geography.services import facilities_import_csv
from tests.conftest import SHARED

BIHAR_CSV = SHARED / "data" / "bihar-facilities.csv"


@pytest.fixture
def bihar_csv():
    if not BIHAR_CSV.is_file():
        pytest.skip(f"{BIHAR_CSV} is not available")
    return BIHAR_CSV


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "facilities.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_bihar_list_loads_every_facility_and_district_once(bihar_csv):
    first = facilities_import_csv(path=bihar_csv, state_name="Bihar")
    again = facilities_import_csv(path=bihar_csv, state_name="Bihar")

    assert (first.created, first.districts) == (2038, 38)
    assert (again.created, again.existing) == (0, 2038)
    assert Facility.objects.count() == 2038
    assert District.objects.count() == 38
    assert Facility.objects.filter(facility_type="DH").count() == 53


@pytest.mark.django_db
def test_an_unknown_facility_type_names_line_and_column_and_writes_nothing(tmp_path):
    path = write(tmp_path, "district,facility_type,facility_name\n"
                           "Araria,District Hospital,Sadar\n"
                           "Araria,Spaceport,Launch pad\n")
    with pytest.raises(DomainError, match=r"line 3, column facility_type: unknown type"):
        facilities_import_csv(path=path, state_name="Bihar")
    assert Facility.objects.count() == 0
    assert District.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path, "district,name\nAraria,Sadar\n")
    with pytest.raises(DomainError, match="missing column.*facility_type"):
        facilities_import_csv(path=path, state_name="Bihar")


@pytest.mark.django_db
def test_a_row_repeated_in_the_file_is_created_once(tmp_path):
    path = write(tmp_path, "district,facility_type,facility_name\n"
                           "Araria,PHC,Bardaha\nAraria,Primary Health Center,Bardaha\n")
    result = facilities_import_csv(path=path, state_name="Bihar")
    assert result.created == 1


@pytest.mark.django_db
def test_the_command_exits_2_with_one_line_on_bad_input(tmp_path, capsys):
    path = write(tmp_path, "district,facility_type,facility_name\nAraria,,X\n")
    assert main(["facilities", "import", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "line 2, column facility_type" in err[0]


# --- optional division and block columns ----------------------------------------------------

PLACED = ("district,facility_type,facility_name,division,block\n"
          "Araria,District Hospital,Sadar Araria,Purnia,\n"
          "Araria,PHC,Bardaha,Purnia,Jokihat\n"
          "Araria,PHC,Kusiyar,Purnia,Jokihat\n"
          "Gaya,PHC,Bodh Gaya,Magadh,Bodh Gaya\n")


@pytest.mark.django_db
def test_division_and_block_columns_place_districts_and_facilities(tmp_path):
    from srishti.geography.models import Block, Division

    result = facilities_import_csv(path=write(tmp_path, PLACED), state_name="Bihar")
    assert (result.created, result.divisions, result.blocks) == (4, 2, 2)
    assert District.objects.get(name="Araria").division.name == "Purnia"
    assert District.objects.get(name="Gaya").division.name == "Magadh"
    assert Facility.objects.get(name="Sadar Araria").block is None
    jokihat = Block.objects.get(name="Jokihat")
    assert jokihat.district.name == "Araria"
    assert set(jokihat.facilities.values_list("name", flat=True)) == {"Bardaha", "Kusiyar"}
    again = facilities_import_csv(path=write(tmp_path, PLACED), state_name="Bihar")
    assert (again.created, again.existing) == (0, 4)
    assert (Division.objects.count(), Block.objects.count()) == (2, 2)


@pytest.mark.django_db
def test_a_later_list_fills_in_the_places_an_earlier_one_lacked(tmp_path):
    facilities_import_csv(path=write(tmp_path, "district,facility_type,facility_name\n"
                                               "Araria,PHC,Bardaha\n"), state_name="Bihar")
    assert District.objects.get().division is None and Facility.objects.get().block is None
    facilities_import_csv(path=write(tmp_path, PLACED), state_name="Bihar")
    assert Facility.objects.get(name="Bardaha").block.name == "Jokihat"
    assert District.objects.get(name="Araria").division.name == "Purnia"


@pytest.mark.django_db
def test_a_district_in_two_divisions_names_the_later_line_and_writes_nothing(tmp_path):
    path = write(tmp_path, "district,facility_type,facility_name,division\n"
                           "Araria,PHC,Bardaha,Purnia\n"
                           "Araria,PHC,Kusiyar,Kosi\n")
    with pytest.raises(DomainError, match=r"line 3, column division: district Araria is in "
                                          r"division Purnia on an earlier line"):
        facilities_import_csv(path=path, state_name="Bihar")
    assert District.objects.count() == 0


@pytest.mark.django_db
def test_moving_a_stored_facility_to_another_block_is_refused_with_its_line(tmp_path):
    facilities_import_csv(path=write(tmp_path, PLACED), state_name="Bihar")
    moved = PLACED.replace("Kusiyar,Purnia,Jokihat", "Kusiyar,Purnia,Raniganj")
    with pytest.raises(DomainError, match=r"line 4, column block: Kusiyar is already in "
                                          r"another block"):
        facilities_import_csv(path=write(tmp_path, moved), state_name="Bihar")
    assert Facility.objects.get(name="Kusiyar").block.name == "Jokihat"
    assert not Block.objects.filter(name="Raniganj").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["division", "block"])
def test_an_over_long_division_or_block_is_named_before_the_database(tmp_path, column):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    long = "x" * 101
    row = {"division": f"Purnia,{long}", "block": f"{long},Jokihat"}[column]
    # The columns are block,division in this file: their order is free.
    path = write(tmp_path, f"district,facility_type,facility_name,block,division\n"
                           f"Araria,PHC,Bardaha,Jokihat,Purnia\n"
                           f"Araria,PHC,Kusiyar,{row}\n")
    with CaptureQueriesContext(connection) as queries, pytest.raises(
            DomainError, match=rf"line 3, column {column}: 101 characters; at most 100"):
        facilities_import_csv(path=path, state_name="Bihar")
    # Only the transaction's own savepoint statements: no table was read or written.
    assert [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]] == []


@pytest.mark.django_db
def test_the_command_reports_divisions_and_blocks(tmp_path, capsys):
    assert main(["facilities", "import", str(write(tmp_path, PLACED))]) in (0, None)
    assert capsys.readouterr().out.strip() == (
        "4 facilities created, 0 already present, 2 districts, 2 divisions, 2 blocks")
