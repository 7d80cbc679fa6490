"""The headless `branchdesk` commands: the same services the desktop app calls, no Qt.

Exit codes: 0 done; 1 bad input or any BranchDesk error (a one-line message on stderr
naming the field, nothing written); 2 usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from desktop import __version__, audit, logging_setup, paths
from desktop.errors import BranchDeskError, StoreNotInitialised, ValidationError
from desktop.services import auth, branch, employees, outbox
from desktop.services.auth import Actor
from desktop.services.employees import INPUT_FIELDS, STATUSES, EmployeeInputError, ImportRejected
from desktop.store import Store, open_store
from desktop.store.database import STORE_FILENAME

log = logging.getLogger(__name__)

PROG = "branchdesk"
SUBCOMMANDS = frozenset({"init", "user", "department", "employee", "demo", "audit", "status",
                         "enroll", "sync"})
CREATORS = frozenset({"init", "demo"})  # the only commands that create a store
INIT_HINT = "branchdesk init --branch-code CODE --branch-name NAME"
# employee input keys -> option names (`employee add` / `employee edit`)
EMPLOYEE_OPTIONS = {name: "--" + name.replace("_", "-") for name in INPUT_FIELDS}
EMPLOYEE_HELP = {
    "employee_no": "employee number, e.g. E000123",
    "name": "full name",
    "gender": "M or F (default: derived from the ID number)",
    "id_number": "18-character resident ID number",
    "phone": "11-digit mobile or area-code landline",
    "department": "department code (see `department list`)",
    "position": "job title",
    "hire_date": "YYYY-MM-DD",
    "base_salary": "monthly base salary, e.g. 6500.00",
    "bank_account": "salary bank account number",
}


class UsageError(Exception):
    """A command line that parses but makes no sense (exit 2)."""


# ---- entry point -----------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as e:  # argparse: --help (0) or a usage error (2)
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    _utf8_output()
    base = paths.data_dir(args.data_dir)
    # The log lives in the data folder; a command that cannot create a store leaves a
    # mistyped folder uncreated.
    handler = _start_log(base) if base.is_dir() or args.creates_store else None
    try:
        log.info("cli: %s", " ".join(args.command_path))
        return args.run(args, base)
    except UsageError as e:
        args.parser.print_usage(sys.stderr)
        _error(f"{args.parser.prog}: error: {e}")
        return 2
    except ImportRejected as e:
        for line in e.report().splitlines():
            _error(line)
        _error(f"error: nothing imported: {len(e.rows)} bad row(s)")
        return 1
    except EmployeeInputError as e:
        _error("error: " + "; ".join(f"{f}: {m}" for f, m in e.errors.items()))
        return 1
    except BranchDeskError as e:
        log.info("refused: %s", e)
        _error(f"error: {e}")
        return 1
    except SQLAlchemyError as e:
        log.exception("store error")
        _error(f"error: cannot use the store in {base}: {e.__class__.__name__}")
        return 1
    except OSError as e:
        log.exception("file error")
        _error(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    finally:
        _stop_log(handler)


def _files():
    """desktop.services.employee_files on first use: openpyxl costs every other command
    ~200 ms of start-up."""
    from desktop.services import employee_files

    return employee_files


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="BranchDesk branch HR desk: headless commands over the local "
        "store. Without a command, `branchdesk` opens the desktop app.")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="the store's folder (default: $BRANCHDESK_DATA_DIR, else the "
                             "platform's user data folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(group, name: str, run: Callable, help: str, path: tuple[str, ...]):
        sub = group.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run, parser=sub, command_path=path, creates_store=path[0] in CREATORS)
        return sub

    def group(name: str, help: str):
        sub = commands.add_parser(name, help=help, description=help)
        return sub.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = command(commands, "init", cmd_init, "give a new store its branch identity", ("init",))
    p.add_argument("--branch-code", required=True, metavar="CODE")
    p.add_argument("--branch-name", required=True, metavar="NAME")

    users = group("user", "local users who sign in to the desktop app")
    p = command(users, "add", cmd_user_add, "add a user (prompts for the password twice)",
                ("user", "add"))
    p.add_argument("username", metavar="NAME")
    p.add_argument("--role", required=True, choices=auth.ROLES)
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p = command(users, "list", cmd_user_list, "list the users", ("user", "list"))
    p.add_argument("--json", action="store_true")

    depts = group("department", "the group's departments and the branch's own")
    p = command(depts, "list", cmd_department_list, "list the departments",
                ("department", "list"))
    p.add_argument("--json", action="store_true")
    p = command(depts, "add", cmd_department_add, "add a branch department",
                ("department", "add"))
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name", required=True)

    emps = group("employee", "hire, edit, leave, rehire, show, list, import and export "
                 "employees")
    p = command(emps, "add", cmd_employee_add, "hire an employee", ("employee", "add"))
    for name, option in EMPLOYEE_OPTIONS.items():
        p.add_argument(option, dest=name, required=name != "gender", help=EMPLOYEE_HELP[name])
    p = command(emps, "edit", cmd_employee_edit, "change the given fields of an employee",
                ("employee", "edit"))
    p.add_argument("number", metavar="EMPLOYEE_NO")
    for name, option in EMPLOYEE_OPTIONS.items():
        p.add_argument(option, dest=name, help=EMPLOYEE_HELP[name])
    p = command(emps, "leave", cmd_employee_leave, "record that an employee left",
                ("employee", "leave"))
    p.add_argument("number", metavar="EMPLOYEE_NO")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p = command(emps, "rehire", cmd_employee_rehire, "bring back an employee who left",
                ("employee", "rehire"))
    p.add_argument("number", metavar="EMPLOYEE_NO")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p = command(emps, "show", cmd_employee_show, "one employee and their employment history",
                ("employee", "show"))
    p.add_argument("number", metavar="EMPLOYEE_NO")
    p.add_argument("--json", action="store_true")
    p = command(emps, "list", cmd_employee_list,
                "list employees (ID numbers and bank accounts masked)", ("employee", "list"))
    p.add_argument("--search", default="", metavar="TEXT",
                   help="part of a name, employee number or phone")
    p.add_argument("--department", metavar="CODE")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--json", action="store_true")
    p = command(emps, "import", cmd_employee_import,
                "hire every row of an Excel workbook (.xlsx) or CSV file (UTF-8 or GB18030), "
                "or none if any row is bad; the header row uses the template's Chinese "
                f"headers or the keys {','.join(INPUT_FIELDS)}; bad rows are reported by "
                "their spreadsheet row number (the header is row 1)",
                ("employee", "import"))
    p.add_argument("file", metavar="FILE", type=Path, help="FILE.xlsx or FILE.csv")
    p = command(emps, "export", cmd_employee_export,
                "write employees to an Excel workbook (.xlsx) or a CSV file Excel opens "
                "(UTF-8 with a byte-order mark); ID numbers and bank accounts are masked "
                "unless --unmasked", ("employee", "export"))
    p.add_argument("file", metavar="FILE", type=Path, help="FILE.xlsx or FILE.csv")
    p.add_argument("--search", default="", metavar="TEXT",
                   help="part of a name, employee number or phone")
    p.add_argument("--department", metavar="CODE")
    p.add_argument("--status", choices=STATUSES, help="default: every status")
    p.add_argument("--unmasked", action="store_true",
                   help="write full ID numbers and bank accounts (as a manager sees them)")
    p = command(emps, "template", cmd_employee_template,
                "write a blank import workbook (.xlsx): the headers and one example row",
                ("employee", "template"))
    p.add_argument("file", metavar="FILE", type=Path, help="FILE.xlsx")

    p = command(commands, "demo", cmd_demo,
                "fill the store with demo data (creating the branch and demo users if needed)",
                ("demo",))
    p.add_argument("--employees", type=_count, default=200, metavar="N",
                   help="how many employees to add (default 200)")
    p.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)

    audits = group("audit", "the hash-chained audit log")
    command(audits, "verify", cmd_audit_verify,
            "check the audit chain and that every row matches its audit trail",
            ("audit", "verify"))

    command(commands, "status", cmd_status, "the branch, head counts and sync state", ("status",))

    p = command(commands, "enroll", cmd_enroll,
                "join the group HQ with a one-time enrollment code (a standalone desk must be "
                "the same branch code as HQ's)", ("enroll",))
    p.add_argument("--hq", required=True, metavar="URL", help="HQ's address, e.g. "
                   "https://hq.example.com")
    p.add_argument("--code", required=True, metavar="CODE",
                   help="the one-time code from `branchdesk-hq branch add`")
    p.add_argument("--device-name", metavar="NAME", help="how HQ lists this desk "
                   "(default: the computer's name)")
    p.add_argument("--ca-bundle", metavar="FILE", help="a CA certificate file for HQ's TLS "
                   "certificate (default: the system's)")
    p = command(commands, "sync", cmd_sync,
                "push this desk's changes to HQ and pull HQ's changes", ("sync",))
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true",
                   help="print {\"progress\": [done, total]} lines while syncing (for the GUI)")
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError("must be between 0 and 1,000,000")
    return value


# ---- plumbing --------------------------------------------------------------------------------

def cli_actor() -> Actor:
    """Writes from the CLI: whoever can open the data folder owns the data; the audit log
    names the OS user."""
    return Actor(f"cli:{_os_user()}", "admin")


def reader_actor() -> Actor:
    """Reads print what a clerk may see (ID numbers and bank accounts masked)."""
    return Actor(f"cli:{_os_user()}", "clerk")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (some containers, services)
        return "unknown"


def _open(base: Path, *, create: bool = False, needs_branch: bool = True) -> Store:
    """The store in `base`. Only `init` and `demo` create one: other commands leave a
    mistyped folder alone."""
    if not create and not (base / STORE_FILENAME).exists():
        raise StoreNotInitialised(f"no BranchDesk store in {base}: run `{INIT_HINT}`")
    store = open_store(base)
    if needs_branch:
        try:
            branch.current_branch(store)
        except BaseException:
            store.close()
            raise
    return store


def _error(message: str) -> None:
    print(message, file=sys.stderr)


def _out(text: str = "") -> None:
    print(text)


def _json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _utf8_output() -> None:
    """Names are Chinese: never die on a console or pipe with a legacy code page."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8", errors="replace")


def _start_log(base: Path) -> logging.Handler | None:
    """The rotating log in the data folder; returns the handler this call added, if any."""
    root = logging.getLogger()
    before = set(root.handlers)
    try:
        logging_setup.configure(base)
    except OSError:
        return None  # an unwritable folder is reported by the command itself
    added = [h for h in root.handlers if h not in before]
    return added[0] if added else None


def _stop_log(handler: logging.Handler | None) -> None:
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def display_width(text: str) -> int:
    """Terminal columns: CJK wide and fullwidth characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def table(headers: Sequence[str], rows: Sequence[Sequence[str]],
          right: frozenset[int] = frozenset()) -> str:
    """An aligned plain-text table (column indexes in `right` are right-aligned)."""
    cells = [list(headers)] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers))]

    def line(row):
        parts = []
        for i, value in enumerate(row):
            pad = " " * (widths[i] - display_width(value))
            parts.append(pad + value if i in right else value + pad)
        return "  ".join(parts).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells[1:])
    return "\n".join(out)


def _employee_data(args: argparse.Namespace) -> dict:
    return {name: getattr(args, name) for name in INPUT_FIELDS if getattr(args, name) is not None}


# ---- commands --------------------------------------------------------------------------------

def cmd_init(args, base: Path) -> int:
    store = _open(base, create=True, needs_branch=False)
    try:
        info = branch.init_branch(store, cli_actor(), args.branch_code, args.branch_name)
    finally:
        store.close()
    _out(f"branch {info.code} {info.name} created in {base}")
    return 0


def cmd_user_add(args, base: Path) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass(f"password for {args.username}: ")
            again = getpass.getpass("again: ")
        except EOFError:
            raise ValidationError("password", "none given") from None
        if password != again:
            raise ValidationError("password", "the two entries differ")
    store = _open(base)
    try:
        auth.add_user(store, cli_actor(), args.username, args.role, password)
    finally:
        store.close()
    _out(f"user {args.username.strip()} added ({args.role})")
    return 0


def cmd_user_list(args, base: Path) -> int:
    store = _open(base)
    try:
        users = auth.list_users(store)
    finally:
        store.close()
    if args.json:
        _json(users)
    else:
        _out(table(("User", "Role", "Active"),
                   [(u["username"], u["role"], "yes" if u["active"] else "no") for u in users]))
    return 0


def cmd_department_list(args, base: Path) -> int:
    store = _open(base)
    try:
        depts = [{"id": d.id, "code": d.code, "name": d.name, "name_en": d.name_en,
                  "scope": "group" if d.branch_id is None else "branch"}
                 for d in branch.departments(store)]
    finally:
        store.close()
    if args.json:
        _json(depts)
    else:
        _out(table(("Code", "Name", "English", "Scope"),
                   [(d["code"], d["name"], d["name_en"], d["scope"]) for d in depts]))
    return 0


def cmd_department_add(args, base: Path) -> int:
    store = _open(base)
    try:
        branch.add_department(store, cli_actor(), args.code, args.name)
    finally:
        store.close()
    _out(f"department {args.code.strip().lower()} added")
    return 0


def cmd_employee_add(args, base: Path) -> int:
    store = _open(base)
    try:
        employee_id, _changes = employees.hire(store, cli_actor(), _employee_data(args))
        view = employees.get(store, reader_actor(), employee_id)
    finally:
        store.close()
    _out(f"hired {view.employee_no} {view.name}")
    return 0


def cmd_employee_edit(args, base: Path) -> int:
    data = _employee_data(args)
    if not data:
        options = ", ".join(EMPLOYEE_OPTIONS.values())
        raise UsageError(f"give at least one field to change ({options})")
    store = _open(base)
    try:
        actor = cli_actor()
        employee_id = employees.find_id(store, args.number)
        before = employees.get(store, actor, employee_id).as_json()
        employees.edit(store, actor, employee_id, data)
        after = employees.get(store, actor, employee_id).as_json()
    finally:
        store.close()
    changed = [k for k in after if k not in ("id", "department_id") and after[k] != before[k]]
    if changed:
        _out(f"updated {after['employee_no']}: {', '.join(changed)}")
    else:
        _out(f"{after['employee_no']}: nothing to change")
    return 0


def cmd_employee_leave(args, base: Path) -> int:
    store = _open(base)
    try:
        employees.leave(store, cli_actor(), employees.find_id(store, args.number), args.date,
                        args.reason)
    finally:
        store.close()
    _out(f"{args.number} left on {args.date}")
    return 0


def cmd_employee_rehire(args, base: Path) -> int:
    store = _open(base)
    try:
        employees.rehire(store, cli_actor(), employees.find_id(store, args.number), args.date)
    finally:
        store.close()
    _out(f"{args.number} rehired on {args.date}")
    return 0


_SHOW_LABELS = (
    ("employee_no", "Employee no"), ("name", "Name"), ("gender", "Gender"),
    ("id_number", "ID number"), ("birth_date", "Birth date"), ("phone", "Phone"),
    ("department", "Department"), ("position", "Position"), ("hire_date", "Hire date"),
    ("base_salary", "Base salary"), ("bank_account", "Bank account"), ("status", "Status"),
    ("leave_date", "Leave date"), ("leave_reason", "Leave reason"),
)


def cmd_employee_show(args, base: Path) -> int:
    store = _open(base)
    try:
        employee_id = employees.find_id(store, args.number)
        view = employees.get(store, reader_actor(), employee_id).as_json()
        events = [{"kind": e.kind, "date": e.effective_date.isoformat(), "reason": e.reason,
                   "actor": e.actor} for e in employees.history(store, employee_id)]
    finally:
        store.close()
    if args.json:
        _json({**view, "history": events})
        return 0
    width = max(display_width(label) for _k, label in _SHOW_LABELS)
    for key, label in _SHOW_LABELS:
        if view.get(key) is not None:
            _out(f"{label}:{' ' * (width - display_width(label) + 1)}{view[key]}")
    _out()
    _out("History:")
    _out(table(("Date", "Event", "Reason", "By"),
               [(e["date"], e["kind"], e["reason"] or "", e["actor"]) for e in events]))
    return 0


def _department_id(store: Store, code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip()
    for d in branch.departments(store):
        if code in (d.code, d.id):
            return d.id
    raise ValidationError("department", f"unknown department {code!r}")


def cmd_employee_list(args, base: Path) -> int:
    store = _open(base)
    try:
        query = employees.EmployeeQuery(search=args.search,
                                        department_id=_department_id(store, args.department),
                                        status=args.status)
        views = employees.list_all(store, reader_actor(), query)
    finally:
        store.close()
    if args.json:
        _json([v.as_json() for v in views])
        return 0
    rows = [(v.employee_no, v.name, v.gender, v.department, v.position, v.hire_date.isoformat(),
             str(v.base_salary), v.status, v.phone) for v in views]
    _out(table(("No", "Name", "Gender", "Department", "Position", "Hired", "Base salary",
                "Status", "Phone"), rows, right=frozenset({6})))
    _out(f"{len(views)} employee(s)")
    return 0


@contextlib.contextmanager
def _file_errors():
    """A file that cannot be used is named by its message alone ("staff.csv has ...")."""
    try:
        yield
    except ValidationError as e:
        if e.field != "file" or isinstance(e, ImportRejected):
            raise
        raise BranchDeskError(e.message) from None


def cmd_employee_import(args, base: Path) -> int:
    store = _open(base)
    try:
        with _file_errors():
            hired = _files().import_file(store, cli_actor(), args.file)
    finally:
        store.close()
    _out(f"imported {hired} employee(s) from {args.file}")
    return 0


def cmd_employee_export(args, base: Path) -> int:
    store = _open(base)
    try:
        query = employees.EmployeeQuery(search=args.search,
                                        department_id=_department_id(store, args.department),
                                        status=args.status)
        actor = cli_actor() if args.unmasked else reader_actor()
        with _file_errors():
            written = _files().export(store, actor, args.file, query)
    finally:
        store.close()
    _out(f"exported {written} employee(s) to {args.file}")
    return 0


def cmd_employee_template(args, base: Path) -> int:
    with _file_errors():
        _files().write_template(args.file)
    _out(f"template written to {args.file}")
    return 0


def cmd_demo(args, base: Path) -> int:
    from desktop import demo

    store = _open(base, create=True, needs_branch=False)
    try:
        info = demo.create_demo(store, args.employees, seed=args.seed, actor=cli_actor())
    finally:
        store.close()
    if info.branch_created:
        _out(f"branch {info.branch.code} {info.branch.name} created in {base}")
    if info.users_created:
        _out(f"users added: {', '.join(info.users_created)} "
             f"(password {demo.DEMO_PASSWORD}); sign in as {demo.DEMO_USER}")
    if info.employees_added:
        _out(f"hired {info.employees_added} demo employee(s) {info.first_employee_no}.."
             f"{info.last_employee_no}; {info.left} of them have left")
    return 0


def cmd_audit_verify(args, base: Path) -> int:
    store = _open(base, needs_branch=False)
    try:
        with store.read() as session:
            report = audit.verify(session)
    finally:
        store.close()
    if report.ok:
        _out(f"audit chain intact: {report.entries} entries")
        return 0
    _error(f"audit chain broken at entry {report.first_broken}: {report.reason}")
    return 1


def cmd_status(args, base: Path) -> int:
    store = _open(base)
    try:
        info = branch.current_branch(store)
        active = employees.count(store, "active")
        left = employees.count(store, "left")
        transferred = employees.count(store, "transferred")
        pending = outbox.pending_count(store)
        hq = store.setting(branch.HQ_URL_KEY)
    finally:
        store.close()
    heads = f"{active} active, {left} left"
    if transferred:
        heads += f", {transferred} transferred"
    _out(f"branch: {info.code} {info.name}")
    _out(f"data folder: {base}")
    _out(f"employees: {heads}")
    _out(f"changes waiting to sync: {pending}")
    _out(f"sync: enrolled with {hq}" if info.enrolled else "sync: standalone")
    return 0


def cmd_enroll(args, base: Path) -> int:
    from desktop import sync_engine
    from sync.client import HQError

    store = _open(base, create=True, needs_branch=False)
    try:
        try:
            info = sync_engine.enroll(store, args.hq, args.code, args.device_name,
                                      ca_bundle=args.ca_bundle)
        except ValueError as e:  # a malformed HQ address
            raise ValidationError("hq", str(e)) from None
        except HQError as e:
            log.info("enrollment failed: %s", e)
            _error(f"error: {e}")
            return 1
    finally:
        store.close()
    _out(f"enrolled with {args.hq.rstrip('/')} as branch {info.code} {info.name}")
    return 0


def cmd_sync(args, base: Path) -> int:
    from desktop import sync_engine
    from sync.client import HQError

    def progress(done: int, total: int) -> None:
        print(json.dumps({"progress": [done, total]}), flush=True)

    store = _open(base)
    try:
        try:
            report = sync_engine.sync(store, progress=progress if args.progress else None)
        except (HQError, sync_engine.SyncError) as e:
            log.info("sync failed: %s", e)
            if args.json:  # the GUI rebuilds the error from its kind and HTTP status
                _json({"ok": False, "error": str(e), "error_kind": type(e).__name__,
                       "http_status": getattr(e, "status", None),
                       "detail": getattr(e, "detail", None), **sync_engine.sync_status(store)})
            _error(f"error: {e}")
            return 1
        status = sync_engine.sync_status(store)
    finally:
        store.close()
    if args.json:
        _json({"ok": True, **report.as_dict(), "pending": status["pending"],
               "open_conflicts": status["open_conflicts"],
               "last_sync_at": status["last_sync_at"]})
        return 0
    _out(f"pushed {report.pushed} ({report.applied} applied, {report.merged} merged), "
         f"pulled {report.pulled}, conflicts {report.conflicts}, rejected {report.rejected}")
    for line in report.errors:
        _out(f"rejected: {line}")
    if status["open_conflicts"]:
        _out(f"{status['open_conflicts']} conflict(s) recorded: see the Sync view")
    return 0
