from hyrkoll.consultants.import_command import RegionFileImportCommand
from hyrkoll.consultants.imports import import_licence_register


class Command(RegionFileImportCommand):
    help = (
        "Replace a region's licence-register extract with a CSV or .xlsx file with the columns "
        "licence_number,first_name,last_name,profession,competence,licensed_on,specialist_since."
    )
    importer = import_licence_register
    what = "licence-register rows"
