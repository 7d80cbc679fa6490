// The reference peer of DESIGN section 5, driven by bench/sync_reference_peer.py, a phase a
// process (the bench lets the disk settle between them, as before BranchDesk's phases):
//
//   node peer.js serve DIR PORT        a PouchDB server (express-pouchdb, LevelDB under DIR)
//                                      on loopback PORT
//   node peer.js load DOCS WORK        the JSON-lines documents of DOCS into a new local
//                                      database under WORK (not timed)
//   node peer.js push URL WORK         timed: its replication to the server's database
//   node peer.js pull URL WORK         timed: a fresh local database replicating it back
//   node peer.js delta URL WORK N      N one-shot syncs both ways, each after 100 changed
//                                      employees, timed each (after one untimed sync, so
//                                      that both directions have their checkpoints)
//
// Each phase prints its figures as one JSON line. PouchDB's defaults throughout
// (batch_size 100, batches_limit 10): the replication a PouchDB application gets.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const PouchDB = require('pouchdb');

function serve(dir, port) {
  const express = require('express');
  fs.mkdirSync(dir, {recursive: true});
  const app = express();
  app.use('/', require('express-pouchdb')(PouchDB.defaults({prefix: dir + path.sep}), {
    mode: 'minimumForPouchDB',
    logPath: path.join(dir, 'log.txt'),
    configPath: path.join(dir, 'config.json'),
  }));
  app.listen(port, '127.0.0.1');
}

async function load(docsFile, work) {
  fs.rmSync(work, {recursive: true, force: true});
  fs.mkdirSync(work, {recursive: true});
  const db = new PouchDB(path.join(work, 'source'));
  const lines = readline.createInterface({input: fs.createReadStream(docsFile)});
  let chunk = [];
  let loaded = 0;
  for await (const line of lines) {
    if (!line) continue;
    chunk.push(JSON.parse(line));
    if (chunk.length === 5000) {
      loaded += await write(db, chunk);
      chunk = [];
    }
  }
  loaded += await write(db, chunk);
  await db.close();
  return {loaded};
}

async function write(db, docs) {
  if (!docs.length) return 0;
  const failed = (await db.bulkDocs(docs)).filter((r) => r.error);
  if (failed.length) throw new Error('loading failed: ' + JSON.stringify(failed[0]));
  return docs.length;
}

async function timed(replication) {
  const started = process.hrtime.bigint();
  const result = await replication;
  return {result, seconds: Number(process.hrtime.bigint() - started) / 1e9};
}

async function push(url, work) {
  const {result, seconds} = await timed(PouchDB.replicate(
    new PouchDB(path.join(work, 'source')), new PouchDB(url + '/branch')));
  return {docs: result.docs_written, seconds};
}

async function pull(url, work) {
  const {result, seconds} = await timed(PouchDB.replicate(
    new PouchDB(url + '/branch'), new PouchDB(path.join(work, 'fresh'))));
  return {docs: result.docs_written, seconds};
}

async function delta(url, work, repeats) {
  const source = new PouchDB(path.join(work, 'source'));
  const remote = new PouchDB(url + '/branch');
  await PouchDB.sync(source, remote);  // the pull direction's first run: not a delta
  // 100 changed employees a round, as sync_throughput.py's delta changes them
  const employees = (await source.allDocs({include_docs: true, startkey: 'employee:',
                                           endkey: 'employee:\uffff'})).rows.map((r) => r.doc);
  const seconds = [];
  for (let round = 0; round < repeats; round++) {
    const changed = employees.slice(round * 100, (round + 1) * 100);
    changed.forEach((doc, i) => { doc.position = `组长${round}-${i % 7}`; });
    (await source.bulkDocs(changed)).forEach((r, i) => { changed[i]._rev = r.rev; });
    const {result, seconds: took} = await timed(PouchDB.sync(source, remote));
    if (result.push.docs_written !== 100) {
      throw new Error(`delta round ${round}: ${result.push.docs_written} documents pushed`);
    }
    seconds.push(took);
  }
  return {seconds};
}

const [command, ...args] = process.argv.slice(2);
const phases = {
  load: () => load(args[0], args[1]),
  push: () => push(args[0], args[1]),
  pull: () => pull(args[0], args[1]),
  delta: () => delta(args[0], args[1], Number(args[2])),
};
if (command === 'serve') {
  serve(args[0], Number(args[1]));
} else if (phases[command]) {
  phases[command]().then((figures) => {
    process.stdout.write(JSON.stringify(figures) + '\n');
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  console.error('usage: node peer.js serve DIR PORT | load DOCS WORK | push URL WORK | ' +
                'pull URL WORK | delta URL WORK N');
  process.exit(2);
}
