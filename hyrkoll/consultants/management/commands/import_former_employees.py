from hyrkoll.consultants.import_command import RegionFileImportCommand
from hyrkoll.consultants.imports import import_former_employees


class Command(RegionFileImportCommand):
    help = (
        "Replace a region's list of former employees with a CSV or .xlsx file with the columns "
        "personal_number,employed_until. Only a keyed hash of each personal identity number is stored."
    )
    importer = import_former_employees
    what = "former employees"
