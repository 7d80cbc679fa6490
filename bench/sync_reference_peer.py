"""BranchDesk's sync against the reference peer of DESIGN §5, in one run on this machine:

    .venv/bin/python bench/sync_reference_peer.py [--employees 100000] [--repeats 20]

BranchDesk: sync_throughput.py's trial (HQ on PostgreSQL in its own process): the initial
push of the 100,000-employee demo branch, the initial pull into a fresh desk, and the
100-row incremental sync (p50 of --repeats).

The reference peer: PouchDB (bench/pouchdb_peer, Node.js) replicating the same rows, the
desk's employees and employee events as one document each, over HTTP on loopback to a
PouchDB server (express-pouchdb on LevelDB) in a process of its own: the initial push
(a local database to the server), the initial pull (the server to a fresh local database)
and a one-shot sync both ways after 100 changed employees (p50 of --repeats). PouchDB's
defaults throughout. Bars: BranchDesk beats it by 10x on the initial syncs (rows a second)
and by 2x on the delta (p50).

Needs Node.js; the peer's packages are installed on first use (`npm ci` in
bench/pouchdb_peer, from the npm registry).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys

from common import (
    BENCH,
    OUT,
    STORE_FILENAME,
    ensure_store,
    isolate_user_folders,
    ms,
    print_machine,
    print_table,
)
from hq_process import RequestTimes
from sync_throughput import run_trial

PEER = BENCH / "pouchdb_peer"
INITIAL_LEAD_BAR = 10.0
DELTA_LEAD_BAR = 2.0
TABLES = ("employee", "employee_event")  # the rows a first push of the demo branch sends


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--employees", type=int, default=100_000)
    p.add_argument("--repeats", type=int, default=20)
    return p.parse_args(argv)


def main() -> None:
    args = parse_args()
    node = shutil.which("node")
    if node is None:
        sys.exit("sync_reference_peer.py needs Node.js (`node` on PATH) for the PouchDB peer")
    if not (PEER / "node_modules").is_dir():
        print("installing the PouchDB peer's packages (npm ci in bench/pouchdb_peer)",
              flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER, check=True)
    isolate_user_folders()
    os.environ["BRANCHDESK_TOKEN_BACKEND"] = "file"
    source = ensure_store(args.employees)
    print_machine()
    work = OUT / "reference-peer"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    docs = work / "docs.jsonl"
    exported = export_docs(source / STORE_FILENAME, docs)
    version = json.loads((PEER / "node_modules" / "pouchdb" / "package.json").read_text())
    print(f"BranchDesk: HQ on PostgreSQL, {args.employees:,}-employee demo branch; "
          f"reference peer: PouchDB {version['version']} on Node.js "
          f"{subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()}"
          f", {exported:,} documents, its server on LevelDB", flush=True)

    ours, _cycles = run_trial(args, source, RequestTimes(), {"push", "pull", "delta"},
                              with_cycles=True)
    print(f"BranchDesk: push {ours.push_s:.2f} s, pull {ours.pull_s:.2f} s, delta p50 "
          f"{ms(statistics.median(ours.delta_s))}", flush=True)
    peer = run_peer(node, docs, work, args.repeats)
    print(f"PouchDB: push {peer['push']['seconds']:.2f} s, pull {peer['pull']['seconds']:.2f} s,"
          f" delta p50 {ms(statistics.median(peer['delta']))}", flush=True)

    rows = []
    for measure, rows_, seconds, theirs in (
            ("initial push", ours.push_rows, ours.push_s, peer["push"]),
            ("initial pull into a fresh desk", ours.pull_rows, ours.pull_s, peer["pull"])):
        rate, their_rate = rows_ / seconds, theirs["docs"] / theirs["seconds"]
        lead = rate / their_rate
        rows.append((measure, f"{rows_:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s",
                     f"{theirs['docs']:,} docs in {theirs['seconds']:.1f} s = "
                     f"{their_rate:,.0f} docs/s", f"{lead:,.1f}x", f">= {INITIAL_LEAD_BAR:g}x",
                     "PASS" if lead >= INITIAL_LEAD_BAR else "FAIL"))
    p50, their_p50 = statistics.median(ours.delta_s), statistics.median(peer["delta"])
    lead = their_p50 / p50
    rows.append(("sync of 100 changed employees, p50", f"{ms(p50)} ({len(ours.delta_s)} runs)",
                 f"{ms(their_p50)} ({len(peer['delta'])} runs)", f"{lead:,.1f}x",
                 f">= {DELTA_LEAD_BAR:g}x", "PASS" if lead >= DELTA_LEAD_BAR else "FAIL"))
    print_table("BranchDesk against the reference peer (PouchDB replication, loopback)",
                ("measure", "BranchDesk", "PouchDB", "BranchDesk's lead", "bar", "result"),
                rows)


def export_docs(store_file, target) -> int:
    """The desk's employees and employee events as PouchDB documents, a JSON line each:
    `_id` "<table>:<id>", the table's columns as the store keeps them (no sync rev)."""
    count = 0
    conn = sqlite3.connect(store_file)
    try:
        with open(target, "w", encoding="utf-8") as out:
            for table in TABLES:
                cursor = conn.execute(f'SELECT * FROM "{table}"')
                names = [d[0] for d in cursor.description]
                for row in cursor:
                    values = dict(zip(names, row, strict=True))
                    values.pop("rev", None)
                    doc = {"_id": f"{table}:{values.pop('id')}", "table": table, **values}
                    out.write(json.dumps(doc, ensure_ascii=False) + "\n")
                    count += 1
    finally:
        conn.close()
    return count


def run_peer(node: str, docs, work, repeats: int) -> dict:
    """The PouchDB server in a process of its own, and the replicating peer's run."""
    server = subprocess.Popen([node, str(PEER / "peer.js"), "serve", str(work / "server")],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = json.loads(server.stdout.readline())["port"]
        done = subprocess.run([node, "--max-old-space-size=4096", str(PEER / "peer.js"), "run",
                               f"http://127.0.0.1:{port}", str(docs), str(work / "peer"),
                               str(repeats)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"the PouchDB peer failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
