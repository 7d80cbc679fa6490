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
defaults throughout. Bars: BranchDesk beats it by 10x on the initial syncs (the same rows in
a tenth of the time) and by 2x on the delta (p50). Before each timed phase, at both, the
disk settles (sync_throughput.settle).

Needs PostgreSQL (as sync_throughput.py) and Node.js; the peer's packages are installed on
first use (`npm ci` in bench/pouchdb_peer, from the npm registry).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

from common import (
    BENCH,
    OUT,
    ensure_store,
    isolate_user_folders,
    ms,
    print_machine,
    print_table,
    raw_connection,
)
from hq_process import RequestTimes, ServerProcess, free_port
from sync_throughput import run_trial, settle

PEER = BENCH / "pouchdb_peer"
INITIAL_LEAD_BAR = 10.0
DELTA_LEAD_BAR = 2.0
TABLES = ("employee", "employee_event")  # the rows a first push of the demo branch sends
PHASE_TIMEOUT = 1800  # seconds: a peer's phase that takes longer has hung


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
    if not (PEER / "node_modules" / "pouchdb" / "package.json").is_file():
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
    exported = export_docs(source, docs)
    version = json.loads((PEER / "node_modules" / "pouchdb" / "package.json").read_text())
    print(f"BranchDesk: HQ on PostgreSQL, {args.employees:,}-employee demo branch; "
          f"reference peer: PouchDB {version['version']} on Node.js "
          f"{subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()}"
          f", the same {exported:,} rows as documents, its server on LevelDB", flush=True)

    ours, _cycles = run_trial(args, source, RequestTimes(), {"push", "pull", "delta"},
                              with_cycles=True)
    print(f"BranchDesk: push {ours.push_s:.2f} s, pull {ours.pull_s:.2f} s, delta p50 "
          f"{ms(statistics.median(ours.delta_s))}", flush=True)
    peer = run_peer(node, docs, work, args.repeats)
    for phase in ("push", "pull"):
        if peer[phase]["docs"] != exported:
            sys.exit(f"the PouchDB peer's {phase} wrote {peer[phase]['docs']:,} documents, "
                     f"not {exported:,}")
    print(f"PouchDB: push {peer['push']['seconds']:.2f} s, pull {peer['pull']['seconds']:.2f} s,"
          f" delta p50 {ms(statistics.median(peer['delta']))}", flush=True)

    # Rates over the same rows at both: BranchDesk's push also sends the leavers' updates
    # (changes beyond the rows) and its pull HQ's reference rows; neither is counted here.
    rows = []
    for measure, seconds, sent, theirs in (
            ("initial push", ours.push_s, f"{ours.push_rows:,} changes", peer["push"]),
            ("initial pull into a fresh desk", ours.pull_s,
             f"{ours.pull_rows:,} with HQ's reference rows",
             peer["pull"])):
        lead = theirs["seconds"] / seconds
        rows.append((measure, f"{exported:,} rows ({sent}) in {seconds:.1f} s = "
                              f"{exported / seconds:,.0f} rows/s",
                     f"{exported:,} docs in {theirs['seconds']:.1f} s = "
                     f"{exported / theirs['seconds']:,.0f} docs/s", f"{lead:,.1f}x",
                     f">= {INITIAL_LEAD_BAR:g}x", "PASS" if lead >= INITIAL_LEAD_BAR else "FAIL"))
    p50, their_p50 = statistics.median(ours.delta_s), statistics.median(peer["delta"])
    lead = their_p50 / p50
    rows.append(("sync of 100 changed employees, p50",
                 f"{ms(p50)} (max {ms(max(ours.delta_s))}, {len(ours.delta_s)} runs)",
                 f"{ms(their_p50)} (max {ms(max(peer['delta']))}, {len(peer['delta'])} runs)",
                 f"{lead:,.1f}x", f">= {DELTA_LEAD_BAR:g}x",
                 "PASS" if lead >= DELTA_LEAD_BAR else "FAIL"))
    print_table("BranchDesk against the reference peer (PouchDB replication, loopback)",
                ("measure", "BranchDesk", "PouchDB", "BranchDesk's lead (time)", "bar",
                 "result"), rows)


def export_docs(store_dir, target) -> int:
    """The desk's employees and employee events as PouchDB documents, a JSON line each:
    `_id` "<table>:<id>", the table's columns as the store keeps them (no sync rev)."""
    count = 0
    conn = raw_connection(store_dir)
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
    """The PouchDB server in a process of its own, and the peer's phases, each in a process
    of its own after the disk has settled (as BranchDesk's: sync_throughput.settle)."""
    peer_dir = work / "peer"

    def phase(*argv: str) -> dict:
        done = subprocess.run([node, str(PEER / "peer.js"), *argv], capture_output=True,
                              text=True, check=False, timeout=PHASE_TIMEOUT)
        if done.returncode != 0:
            sys.exit(f"the PouchDB peer's {argv[0]} failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    phase("load", str(docs), str(peer_dir))
    port = free_port()
    server = ServerProcess("the PouchDB server",
                           [node, str(PEER / "peer.js"), "serve", str(work / "server"),
                            str(port)], port, "/", work / "pouchdb-server.log")
    try:
        figures = {}
        for name, extra in (("push", ()), ("pull", ()), ("delta", (str(repeats),))):
            settle()
            figures[name] = phase(name, server.base, str(peer_dir), *extra)
        figures["delta"] = figures["delta"]["seconds"]
        return figures
    finally:
        server.stop()


if __name__ == "__main__":
    main()
