from pathlib import Path

import pytest

from srishti.cli import main
from srishti.core.errors import DomainError
from srishti.geography.models import District, Facility
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
