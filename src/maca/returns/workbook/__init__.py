"""An agency's returns as an offline workbook (XLSX): downloaded pre-filled, completed by people who do not log in,
uploaded back all or nothing.

The workbook opens on an Instructions sheet, then has one sheet per case: the child's profile, then one row per
question, theme by theme (with the theme's grade and the four narrative boxes), the information-sharing events and
the per-agency case fields. A very hidden sheet, signed with the installation's secret key, says which audit, agency,
case and question each answer cell belongs to, with a fingerprint of each answer as downloaded: an edited or foreign
workbook is refused. An upload is checked by the browser's forms and never silently replaces an answer changed in
maca since the download.

- `layout`: what a case sheet asks, row by row; the problems that refuse an upload; an answer's fingerprint.
- `build`: the workbook built, signed and exported (`build_workbook`, `export_workbook`, `agency_returns`).
- `read`: an uploaded workbook read and checked, saving nothing (`read_workbook`).
- `importing`: its answers saved into the returns, conflicts refused (`import_workbook`).
"""

from .build import XLSX_CONTENT_TYPE, agency_returns, build_workbook, export_workbook
from .importing import WorkbookImport, import_workbook
from .layout import WorkbookError, WorkbookProblem, fingerprint
from .read import ReturnAnswers, read_workbook

__all__ = [
    "XLSX_CONTENT_TYPE",
    "ReturnAnswers",
    "WorkbookError",
    "WorkbookImport",
    "WorkbookProblem",
    "agency_returns",
    "build_workbook",
    "export_workbook",
    "fingerprint",
    "import_workbook",
    "read_workbook",
]
