"""The messages the services show people, in one catalogue.

They are English templates; the UI shows them translated. `QT_TRANSLATE_NOOP` is the name
Qt Linguist's lupdate looks for, defined without Qt (in sync.reasons, HQ's catalogue): it
only marks the text.
A `Message` is the formatted English string that also remembers its template and values.
"""

from __future__ import annotations

from sync.reasons import QT_TRANSLATE_NOOP  # noqa: F401 - lupdate's keyword, defined there


class Message(str):
    """`Message(TEMPLATE, value=...)` == TEMPLATE.format(value=...), plus .template/.params."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        obj = super().__new__(cls, template.format(**params) if params else template)
        obj.template = template
        obj.params = params
        return obj


# ---- resident ID numbers ----
ID_LENGTH = QT_TRANSLATE_NOOP("Errors", "must be 18 characters, got {length}")
ID_PATTERN = QT_TRANSLATE_NOOP("Errors", "must be 17 digits followed by a digit or X")
ID_BIRTH_NOT_A_DATE = QT_TRANSLATE_NOOP("Errors", "birth date {digits} is not a real date")
ID_BIRTH_OUT_OF_RANGE = QT_TRANSLATE_NOOP("Errors", "birth date {date} is out of range")
ID_CHECKSUM = QT_TRANSLATE_NOOP("Errors", "checksum digit is {got}, expected {expected}")

# ---- employee fields ----
DATE_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be a date like 2024-03-01")
EMPLOYEE_NO_FORMAT = QT_TRANSLATE_NOOP("Errors", "is required: up to 32 letters, digits or '-'")
NAME_REQUIRED = QT_TRANSLATE_NOOP("Errors", "is required (at most 64 characters)")
GENDER_VALUE = QT_TRANSLATE_NOOP("Errors", "must be M or F")
GENDER_MISMATCH = QT_TRANSLATE_NOOP("Errors", "does not match the ID number")
PHONE_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be an 11-digit mobile or an area-code landline")
UNKNOWN_DEPARTMENT = QT_TRANSLATE_NOOP("Errors", "unknown department {value!r}")
POSITION_REQUIRED = QT_TRANSLATE_NOOP("Errors", "is required (at most 64 characters)")
HIRE_TOO_FAR_AHEAD = QT_TRANSLATE_NOOP("Errors", "is more than 180 days ahead")
SALARY_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be an amount like 6500.00")
SALARY_RANGE = QT_TRANSLATE_NOOP("Errors", "must be more than 0 and at most 1,000,000")
SALARY_DECIMALS = QT_TRANSLATE_NOOP("Errors", "has more than 2 decimal places")
BANK_ACCOUNT_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be 12 to 30 digits")
UNDER_AGE = QT_TRANSLATE_NOOP("Errors", "employee would be {age} at hire: under 16")
NUMBER_TAKEN = QT_TRANSLATE_NOOP("Errors", "{value} is already used")
NUMBER_REPEATS = QT_TRANSLATE_NOOP("Errors", "{value} repeats row {row}")
MANAGER_ONLY = QT_TRANSLATE_NOOP("Errors", "only a manager can change this field")

# ---- lifecycle ----
REASON_REQUIRED = QT_TRANSLATE_NOOP("Errors", "is required (at most 200 characters)")
NOT_ACTIVE = QT_TRANSLATE_NOOP("Errors", "{number} is {status}, not active")
NOT_LEFT = QT_TRANSLATE_NOOP("Errors", "{number} is {status}; only someone who left can be rehired")
BEFORE_HIRE = QT_TRANSLATE_NOOP("Errors", "is before the hire date {date}")
BEFORE_LEAVE = QT_TRANSLATE_NOOP("Errors", "is before the leave date {date}")

# ---- users, passwords and departments (administration) ----
USERNAME_LENGTH = QT_TRANSLATE_NOOP("Errors", "must be 1 to 64 characters")
USERNAME_TAKEN = QT_TRANSLATE_NOOP("Errors", "{username} already exists")
UNKNOWN_USER = QT_TRANSLATE_NOOP("Errors", "there is no user {username}")
ROLE_VALUE = QT_TRANSLATE_NOOP("Errors", "must be one of {roles}")
PASSWORD_TOO_SHORT = QT_TRANSLATE_NOOP("Errors", "must be at least {minimum} characters")
WRONG_PASSWORD = QT_TRANSLATE_NOOP("Errors", "is not your current password")
PASSWORD_UNCHANGED = QT_TRANSLATE_NOOP("Errors", "must be different from the current password")
LAST_ADMIN_ROLE = QT_TRANSLATE_NOOP("Errors", "{username} is the last active administrator: make someone else an administrator first")
LAST_ADMIN_DISABLE = QT_TRANSLATE_NOOP("Errors", "{username} is the last active administrator and cannot be disabled")
DISABLE_SELF = QT_TRANSLATE_NOOP("Errors", "you cannot disable your own account")
DEPARTMENT_CODE_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be 1 to 32 letters, digits, '-' or '_'")
DEPARTMENT_NAME_REQUIRED = QT_TRANSLATE_NOOP("Errors", "is required (at most 100 characters)")
DEPARTMENT_CODE_TAKEN = QT_TRANSLATE_NOOP("Errors", "department {code} already exists")
DEPARTMENT_NAME_TAKEN = QT_TRANSLATE_NOOP("Errors", "another department is already called {name}")
STANDARD_DEPARTMENT_RENAME = QT_TRANSLATE_NOOP("Errors", "{name} is a group standard department and cannot be renamed")
STANDARD_DEPARTMENT_DELETE = QT_TRANSLATE_NOOP("Errors", "{name} is a group standard department and cannot be deleted")
DEPARTMENT_IN_USE = QT_TRANSLATE_NOOP("Errors", "{name} still has {count} employee(s), including any who have left, and cannot be deleted")

# ---- spreadsheet import and export (desktop.services.employee_files) ----
FILE_TYPE = QT_TRANSLATE_NOOP("Errors", "{file} is not an .xlsx or .csv file (save .xls workbooks as .xlsx in Excel)")
FILE_UNREADABLE = QT_TRANSLATE_NOOP("Errors", "{file} is damaged or not a readable {suffix} file")
FILE_ENCODING = QT_TRANSLATE_NOOP("Errors", "{file} is neither UTF-8 nor GB18030 text")
FILE_EMPTY = QT_TRANSLATE_NOOP("Errors", "{file} is empty: its first row must be the column headers")
FILE_NO_ROWS = QT_TRANSLATE_NOOP("Errors", "{file} has column headers but no employee rows")
TEMPLATE_TYPE = QT_TRANSLATE_NOOP("Errors", "the template is an Excel workbook: name it .xlsx, not {file}")
UNKNOWN_COLUMN = QT_TRANSLATE_NOOP("Errors", "unknown column {column!r} in {file}: use the column headers of the template")
DUPLICATE_COLUMN = QT_TRANSLATE_NOOP("Errors", "column {column!r} appears twice in {file}")
MISSING_COLUMN = QT_TRANSLATE_NOOP("Errors", "{file} has no {column} column, which is required")
UNNAMED_COLUMN = QT_TRANSLATE_NOOP("Errors", "column {column} of {file} has values but no header (first in row {row})")
EXCEL_NUMBER = QT_TRANSLATE_NOOP("Errors", "was stored as a number in Excel, which loses digits: store this column as text in Excel and enter it again")
MASKED_VALUE = QT_TRANSLATE_NOOP("Errors", "is masked (a clerk's export): enter the full number")
IMPORT_ACTIVE_ONLY = QT_TRANSLATE_NOOP("Errors", "only active employees can be imported; this row is {status}")

# ---- first-run set-up ----
BRANCH_CODE_FORMAT = QT_TRANSLATE_NOOP("Errors", "must be 1 to 32 letters, digits, '-' or '_'")
BRANCH_NAME_LENGTH = QT_TRANSLATE_NOOP("Errors", "must be 1 to 100 characters")
BRANCH_EXISTS = QT_TRANSLATE_NOOP("Errors", "this store already has a branch")
ALREADY_SET_UP = QT_TRANSLATE_NOOP("Errors", "this store already has users: sign in as an administrator")
