import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../../electron/engine';
import { createRouter } from '../../../electron/router';
import { testEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp';
import { benignDomain, dgaDomain, zeekDnsLog, zeekHttpLog } from '../../helpers/domains';

const dir = tempDir();
const { call, route, done } = testEngine(path.join(dir, 'ws'));
let runId = '';

before(async () => {
  const legit = path.join(dir, 'legit.txt');
  const dga = path.join(dir, 'dga.txt');
  fs.writeFileSync(legit, Array.from({ length: 300 }, (_, i) => benignDomain(i)).join('\n') + '\n');
  fs.writeFileSync(dga, Array.from({ length: 300 }, (_, i) => dgaDomain(i)).join('\n') + '\n');
  const { jobId } = await call('datasets.import', {
    path: legit,
    inputs: [{ path: legit, fixedLabel: 'legit' }, { path: dga, fixedLabel: 'dga' }],
    options: { format: 'domains', benignLabels: ['legit'] },
  });
  const datasetId = ((await done(jobId)).result as { datasetId: string }).datasetId;
  const { runs } = await call('train.start', { datasetId, modelIds: ['char-cnn'], params: { epochs: 3, batchSize: 32, filters: 16, units: 32 } });
  await done(runs[0].jobId);
  runId = runs[0].runId;
});

test('a Zeek dns.log scanned with a DGA model flags the generated DGA queries at their line numbers', async () => {
  const queries: string[] = [];
  const dgaAt = new Map<string, number>();
  for (let i = 1000; i < 1040; i++) {
    queries.push(benignDomain(i), benignDomain(i + 1));
    if (i % 4 === 0) queries.push(dgaDomain(i));
  }
  // Repeats, an unset query, and names written with capitals and the root's dot, as resolvers see them.
  queries.push(benignDomain(1000), '-', dgaDomain(1000).toUpperCase() + '.');
  const log = zeekDnsLog(queries);
  const file = path.join(dir, 'dns.log');
  fs.writeFileSync(file, log);
  log.split('\n').forEach((l, i) => {
    const q = l.split('\t')[8];
    if (q && /^[a-z]{14}\.(info|biz)$/.test(q) && !dgaAt.has(q)) dgaAt.set(q, i + 1);
  });
  assert.equal(dgaAt.size, 10);
  const { scanId, jobId } = await call('scan.start', { runId, paths: [file], threshold: 0.5 });
  await done(jobId);
  const { scan } = await call('scans.get', { scanId });
  assert.equal(scan.status, 'done');
  assert.equal(scan.stats.skipped.empty, 1);
  const { rows } = await call('scans.results', { scanId, limit: 5000 });
  const flagged = rows.filter((r) => r.score >= 0.5);
  assert.deepEqual(flagged.map((r) => r.url).sort(), [...dgaAt.keys()].sort());
  for (const r of flagged) {
    assert.equal(r.line, dgaAt.get(r.url), r.url);
    assert.equal(r.file, file);
  }
  // The upper-case repeat with the root's dot is the same name: counted, not scored twice.
  assert.equal(rows.find((r) => r.url === dgaDomain(1000))!.count, 2);
});

test('an http.log gives a domain model the host; a conn.log is refused with the file and line', async () => {
  const file = path.join(dir, 'http.log');
  fs.writeFileSync(file, zeekHttpLog([{ host: dgaDomain(5000), uri: '/gate.php?id=1' }, { host: `${benignDomain(5001)}:8080`, uri: '/index.html' }]));
  const { scanId, jobId } = await call('scan.start', { runId, paths: [file] });
  await done(jobId);
  const { rows } = await call('scans.results', { scanId, limit: 10 });
  assert.deepEqual(rows.map((r) => [r.url, r.line]), [[dgaDomain(5000), 4], [benignDomain(5001), 5]]);

  const conn = path.join(dir, 'conn.log');
  fs.writeFileSync(conn, '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\n1.0\tC1\t10.0.0.1\n');
  const r = await route('scan.start', { runId, paths: [conn] });
  assert.equal(!r.ok && r.error.message, `${conn}:4: a zeek conn.log has no text a URL or domain model reads (dns.log query, http.log host + uri)`);
});

test('verdicts join scan results by item, filter the queue, and survive closing and reopening the workspace', async () => {
  const file = path.join(dir, 'triage.txt');
  const names = [...Array.from({ length: 6 }, (_, i) => dgaDomain(7000 + i)), ...Array.from({ length: 6 }, (_, i) => benignDomain(7000 + i))];
  fs.writeFileSync(file, names.join('\n') + '\n');
  const { scanId, jobId } = await call('scan.start', { runId, paths: [file], threshold: 0.5 });
  await done(jobId);
  const open = await call('triage.items', { scanId, verdict: 'open', minScore: 0.5 });
  assert.equal(open.remaining, 6);
  assert.deepEqual(open.rows.map((r) => r.item).sort(), names.slice(0, 6).sort());
  // Uncertain first: the results nearest the threshold lead.
  const uncertain = await call('triage.items', { scanId, order: 'uncertain', limit: 12 });
  const gaps = uncertain.rows.map((r) => Math.abs(r.score - 0.5));
  assert.deepEqual(gaps, [...gaps].sort((a, b) => a - b));

  await call('verdicts.set', { items: [{ item: names[0], kind: 'domain', score: open.rows[0].score }], verdict: 'malicious', note: 'C2, sinkholed 2026-01', scanId });
  await call('verdicts.set', { items: [{ item: names[1], kind: 'domain' }, { item: names[2], kind: 'domain' }], verdict: 'benign', scanId });
  await call('verdicts.set', { items: [{ item: names[3], kind: 'domain' }], verdict: 'unsure', scanId });
  await call('verdicts.set', { items: [{ item: names[3], kind: 'domain' }], verdict: null });
  const after = await call('triage.items', { scanId, verdict: 'open', minScore: 0.5 });
  assert.equal(after.remaining, 3);
  assert.equal((await call('triage.items', { scanId, verdict: 'benign' })).total, 2);
  const mal = (await call('triage.items', { scanId, verdict: 'malicious' })).rows;
  assert.deepEqual([mal[0].item, mal[0].verdict, mal[0].note], [names[0], 'malicious', 'C2, sinkholed 2026-01']);
  const results = (await call('scans.results', { scanId, limit: 20 })).rows;
  assert.equal(results.find((r) => r.url === names[1])!.verdict, 'benign');

  const reopened = createEngine({ workspaceDir: path.join(dir, 'ws'), transport: 'cli' });
  try {
    const r = await createRouter(reopened.handlers)('verdicts.list', {});
    assert.ok(r.ok);
    const rows = (r.value as { rows: { item: string; verdict: string; note: string; scanId: string | null }[] }).rows;
    assert.deepEqual(
      rows.map((v) => [v.item, v.verdict, v.note, v.scanId]).sort(),
      [
        [names[0], 'malicious', 'C2, sinkholed 2026-01', scanId],
        [names[1], 'benign', '', scanId],
        [names[2], 'benign', '', scanId],
      ].sort(),
    );
  } finally {
    await reopened.close();
  }
});

test('a rule made from a benign verdict suppresses on the next scan: kept, counted under the rule, not flagged', async () => {
  const file = path.join(dir, 'rule.txt');
  const noisy = dgaDomain(8000);
  fs.writeFileSync(file, [noisy, `cdn.${noisy}`, dgaDomain(8001), benignDomain(8002)].join('\n') + '\n');
  const first = await call('scan.start', { runId, paths: [file] });
  await done(first.jobId);
  const before = (await call('scans.get', { scanId: first.scanId })).scan;
  assert.equal(before.suppressed, 0);
  assert.equal(before.flagged, 3);

  const bad = await route('rules.add', { kind: 'regex', pattern: '(x' });
  assert.match(!bad.ok ? bad.error.message : '', /^regex rule "\(x": not a regular expression/);
  const rule = await call('rules.add', { kind: 'registered', pattern: `https://www.${noisy}/x`, note: 'our CDN' });
  assert.equal(rule.pattern, noisy);

  const second = await call('scan.start', { runId, paths: [file] });
  await done(second.jobId);
  const scan = (await call('scans.get', { scanId: second.scanId })).scan;
  assert.equal(scan.suppressed, 2);
  assert.equal(scan.flagged, 1);
  const page = await call('triage.items', { scanId: second.scanId, suppressed: 'only' });
  assert.deepEqual(page.suppressedByRule, { [rule.id]: 2 });
  assert.deepEqual(page.rows.map((r) => [r.item, r.suppressedBy]).sort(), [[noisy, rule.id], [`cdn.${noisy}`, rule.id]].sort());
  assert.equal((await call('scans.results', { scanId: second.scanId })).total, 4);

  // Applying to the earlier scan marks it too; disabling and removing the rule brings the results back.
  assert.equal((await call('rules.apply', { scanId: first.scanId })).changed, 2);
  await call('rules.update', { ruleId: rule.id, enabled: false });
  assert.equal((await call('rules.apply', { scanId: first.scanId })).changed, 2);
  await call('rules.update', { ruleId: rule.id, enabled: true });
  await call('rules.delete', { ruleId: rule.id });
  assert.equal((await call('scans.get', { scanId: second.scanId })).scan.suppressed, 0);
  assert.deepEqual(await call('rules.list', {}), []);
});
