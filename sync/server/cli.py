"""`branchdesk-hq [--db URL] COMMAND`: run and administer the HQ server.

Exit status: 0 done, 1 failed (the message says what is wrong), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from sync.server.core.config import DB_ENV, Settings

EXAMPLES = """\
commands:
  serve [--host 127.0.0.1] [--port 8700] [--workers N]   migrate, then serve the API
  migrate                                                bring the database to the newest schema
  branch add CODE --name NAME                            new branch + one-time enrollment code
  branch list [--json]
  branch enroll-code CODE                                fresh code (older unused ones stop working)
  user add NAME --role hq_admin|hq_viewer                prints an API token once
  token revoke --node NODE_ID | --user NAME
  employee list [--branch CODE] --json
  employee transfer EMPLOYEE_NO --from CODE --to CODE
  status [--json]                                        per branch: desks, last sync, conflicts, rows
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="branchdesk-hq", description="BranchDesk group HQ server.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", help=f"database URL (postgresql://... or a SQLite path; default "
                                f"${DB_ENV} or ./branchdesk-hq.sqlite3)")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run migrations, then serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="bring the database to the newest schema")

    branch = sub.add_parser("branch", help="branches and their enrollment codes")
    bsub = branch.add_subparsers(dest="action", required=True)
    badd = bsub.add_parser("add", help="create a branch; prints a one-time enrollment code")
    badd.add_argument("code")
    badd.add_argument("--name", required=True)
    blist = bsub.add_parser("list")
    blist.add_argument("--json", action="store_true")
    bcode = bsub.add_parser("enroll-code", help="a fresh enrollment code for a branch")
    bcode.add_argument("code")

    user = sub.add_parser("user", help="HQ users (API tokens)")
    usub = user.add_subparsers(dest="action", required=True)
    uadd = usub.add_parser("add", help="create an HQ user; prints its API token once")
    uadd.add_argument("name")
    uadd.add_argument("--role", required=True, choices=["hq_admin", "hq_viewer"])

    token = sub.add_parser("token", help="revoke desk or user tokens")
    tsub = token.add_subparsers(dest="action", required=True)
    trev = tsub.add_parser("revoke")
    who = trev.add_mutually_exclusive_group(required=True)
    who.add_argument("--node", metavar="NODE_ID")
    who.add_argument("--user", metavar="NAME")

    emp = sub.add_parser("employee", help="employees across branches")
    esub = emp.add_subparsers(dest="action", required=True)
    elist = esub.add_parser("list")
    elist.add_argument("--branch", metavar="CODE")
    elist.add_argument("--json", action="store_true")
    etr = esub.add_parser("transfer", help="move an employee to another branch")
    etr.add_argument("employee_no")
    etr.add_argument("--from", dest="from_code", required=True, metavar="CODE")
    etr.add_argument("--to", dest="to_code", required=True, metavar="CODE")

    st = sub.add_parser("status", help="per branch: desks, last sync, open conflicts, rows")
    st.add_argument("--json", action="store_true")
    return p


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def run(args: argparse.Namespace) -> int:
    from sync.server import admin
    from sync.server.db import Database, safe_url

    settings = Settings.from_env(args.db)
    db = Database(settings)
    try:
        try:
            before, after = db.migrate()
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            print(f"branchdesk-hq: cannot open the database {safe_url(settings.database_url)}:"
                  f" {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                  file=sys.stderr)
            return 1
        cmd = args.command
        if cmd == "migrate":
            if before == after:
                print(f"database {safe_url(settings.database_url)} is up to date "
                      f"(schema {after})")
            else:
                print(f"database {safe_url(settings.database_url)} migrated: schema "
                      f"{before or 'none'} → {after}")
        elif cmd == "serve":
            db.dispose()
            return _serve(settings, args)
        elif cmd == "branch" and args.action == "add":
            branch, code = admin.add_branch(db, args.code, args.name)
            print(f"branch {branch['code']} ({branch['name']}) created: id {branch['id']}")
            print(f"enrollment code (one use, valid 7 days): {code}")
        elif cmd == "branch" and args.action == "list":
            branches = admin.list_branches(db)
            if args.json:
                _print_json(branches)
            else:
                for b in branches:
                    print(f"{b['code']:<12} {b['name']:<24} desks {b['nodes']:<3} id {b['id']}")
        elif cmd == "branch" and args.action == "enroll-code":
            code = admin.new_code(db, args.code)
            print(f"enrollment code for {args.code} (one use, valid 7 days): {code}")
        elif cmd == "user":
            token = admin.add_user(db, args.name, args.role)
            print(f"user {args.name} ({args.role}) created. API token (shown once):")
            print(token)
        elif cmd == "token":
            if args.node:
                admin.revoke_node(db, args.node)
                print(f"desk {args.node} revoked")
            else:
                admin.revoke_user(db, args.user)
                print(f"user {args.user} revoked")
        elif cmd == "employee" and args.action == "list":
            rows = admin.list_employees(db, args.branch)
            if args.json:
                _print_json(rows)
            else:
                for r in rows:
                    print(f"{r['employee_no']:<12} {r['name']:<16} {r['branch_code'] or '-':<10}"
                          f" {r['status']}")
        elif cmd == "employee" and args.action == "transfer":
            moved = admin.transfer(db, args.employee_no, args.from_code, args.to_code)
            print(f"employee {moved['employee_no']} moved from {moved['from']} to {moved['to']}"
                  f" (rev {moved['rev']})")
        elif cmd == "status":
            rows = admin.status(db)
            if args.json:
                _print_json(rows)
            else:
                for r in rows:
                    counts = ", ".join(f"{k} {v}" for k, v in sorted(r["rows"].items())) or "no rows"
                    print(f"{r['code']:<12} desks {r['nodes']:<3} last sync "
                          f"{r['last_sync'] or 'never':<28} open conflicts "
                          f"{r['open_conflicts']:<4} {counts}")
        return 0
    except admin.AdminError as exc:
        print(f"branchdesk-hq: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1:
        os.environ[DB_ENV] = settings.database_url
        uvicorn.run("sync.server.main:app_from_env", factory=True, host=args.host,
                    port=args.port, workers=args.workers, proxy_headers=True)
    else:
        from sync.server.main import create_app

        uvicorn.run(create_app(settings), host=args.host, port=args.port, proxy_headers=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
