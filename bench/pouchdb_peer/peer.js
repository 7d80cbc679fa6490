// The reference peer of DESIGN section 5, driven by bench/sync_reference_peer.py:
//
//   node peer.js serve DIR       a PouchDB server (express-pouchdb, LevelDB under DIR) on a
//                                free loopback port; prints {"port": N} once it listens
//   node peer.js run URL DOCS WORK REPEATS
//                                the JSON-lines rows of DOCS into a local PouchDB under WORK
//                                (not timed), then, timed: their replication to URL (the
//                                initial push), a fresh local database replicating them
//                                back (the initial pull), and REPEATS one-shot syncs both
//                                ways after 100 changed documents (the delta); prints the
//                                figures as one JSON line
//
// PouchDB's defaults throughout (batch_size 100, batches_limit 10): the replication as a
// PouchDB application gets it.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const PouchDB = require('pouchdb');

async function serve(dir) {
  const express = require('express');
  fs.mkdirSync(dir, {recursive: true});
  const app = express();
  app.use('/', require('express-pouchdb')(PouchDB.defaults({prefix: dir + path.sep}), {
    mode: 'minimumForPouchDB',
    logPath: path.join(dir, 'log.txt'),
    configPath: path.join(dir, 'config.json'),
  }));
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({port: server.address().port}) + '\n');
  });
}

async function load(db, file) {
  const lines = readline.createInterface({input: fs.createReadStream(file)});
  let chunk = [];
  let count = 0;
  for await (const line of lines) {
    if (!line) continue;
    chunk.push(JSON.parse(line));
    if (chunk.length === 5000) {
      count += await write(db, chunk);
      chunk = [];
    }
  }
  return count + await write(db, chunk);
}

async function write(db, docs) {
  if (!docs.length) return 0;
  const results = await db.bulkDocs(docs);
  const failed = results.filter((r) => r.error);
  if (failed.length) throw new Error('loading failed: ' + JSON.stringify(failed[0]));
  return docs.length;
}

function seconds(started) {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function run(url, docsFile, work, repeats) {
  fs.rmSync(work, {recursive: true, force: true});
  fs.mkdirSync(work, {recursive: true});
  const source = new PouchDB(path.join(work, 'source'));
  const loaded = await load(source, docsFile);
  const remote = new PouchDB(url + '/branch');

  let started = process.hrtime.bigint();
  const pushed = await PouchDB.replicate(source, remote);
  const push = {docs: pushed.docs_written, seconds: seconds(started)};

  const fresh = new PouchDB(path.join(work, 'fresh'));
  started = process.hrtime.bigint();
  const pulled = await PouchDB.replicate(remote, fresh);
  const pull = {docs: pulled.docs_written, seconds: seconds(started)};

  // 100 changed employees a round, as sync_throughput.py's delta changes them
  const employees = (await source.allDocs({include_docs: true, startkey: 'employee:',
                                           endkey: 'employee:\uffff'})).rows.map((r) => r.doc);
  const delta = [];
  for (let round = 0; round < repeats; round++) {
    const changed = employees.slice(round * 100, (round + 1) * 100);
    changed.forEach((doc, i) => { doc.position = `组长${round}-${i % 7}`; });
    const results = await source.bulkDocs(changed);
    results.forEach((r, i) => { changed[i]._rev = r.rev; });
    started = process.hrtime.bigint();
    const synced = await PouchDB.sync(source, remote);
    delta.push(seconds(started));
    if (synced.push.docs_written !== 100) {
      throw new Error(`delta round ${round}: ${synced.push.docs_written} documents pushed`);
    }
  }
  process.stdout.write(JSON.stringify({loaded, push, pull, delta,
                                       pouchdb: require('pouchdb/package.json').version}) + '\n');
}

const [command, ...args] = process.argv.slice(2);
const done = command === 'serve' ? serve(args[0])
  : command === 'run' ? run(args[0], args[1], args[2], Number(args[3]))
  : Promise.reject(new Error('usage: node peer.js serve DIR | run URL DOCS WORK REPEATS'));
done.catch((error) => {
  console.error(error);
  process.exit(1);
});
