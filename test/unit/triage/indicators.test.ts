import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { indicatorsCsv, indicatorsStix, stixPattern } from '../../../electron/triage/indicators';
import type { VerdictRow } from '../../../shared/triage';

const schema = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'stix-2.1-indicator-bundle.schema.json'), 'utf8'));

const row = (item: string, kind: VerdictRow['kind'], note = ''): VerdictRow => ({ item, kind, verdict: 'malicious', note, updatedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6), scanId: 'scan_1', runId: null, score: 0.97 });

test('confirmed URLs, domains and conn 4-tuples export as a STIX 2.1 bundle that validates; records are left out', () => {
  const rows = [
    row("http://secure-login.xyz/verify?id=1&q='x'", 'url', 'phishing kit, seen twice'),
    row('news.example.com/a\\b', 'url'),
    row('kqzmfwcls.info', 'domain'),
    row('example.org', 'url'),
    row('10.0.0.5 198.51.100.7 443 tcp', 'conn'),
    row('record:ds_1:train.csv:7', 'record'),
  ];
  const { content, count } = indicatorsStix(rows);
  const bundle = JSON.parse(content) as { objects: Record<string, unknown>[] };
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  assert.ok(validate({ ...bundle }), JSON.stringify(validate.errors));
  assert.equal(count, 5);
  assert.deepEqual(
    bundle.objects.map((o) => o.pattern),
    [
      "[url:value = 'http://secure-login.xyz/verify?id=1&q=\\'x\\'']",
      "[url:value = 'http://news.example.com/a\\\\b']",
      "[domain-name:value = 'kqzmfwcls.info']",
      "[domain-name:value = 'example.org']",
      "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:src_ref.value = '10.0.0.5' AND network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'tcp']",
    ],
  );
  assert.equal(bundle.objects[0].valid_from, '2026-01-02T03:04:05.006Z');
  assert.equal(bundle.objects[0].description, 'phishing kit, seen twice');
  assert.equal(new Set(bundle.objects.map((o) => o.id)).size, 5);
  // The schema has teeth: a wrong spec_version or a missing valid_from fails it.
  assert.equal(validate({ ...bundle, objects: [{ ...bundle.objects[0], spec_version: '2.0' }] }), false);
  const { valid_from: _drop, ...noValidFrom } = bundle.objects[0];
  assert.equal(validate({ ...bundle, objects: [noValidFrom] }), false);
  // Nothing confirmed: a bundle without objects, still valid.
  assert.ok(validate(JSON.parse(indicatorsStix([]).content)));
  assert.equal(stixPattern(row('record:x', 'record')), null);
});

test('the CSV keeps notes with commas and quotes in one cell', () => {
  const csv = indicatorsCsv([row('a.example', 'domain', 'said "hi", then left')]);
  assert.equal(csv, 'indicator,kind,verdict,note,score,decided_at,scan_id\na.example,domain,malicious,"said ""hi"", then left",0.97,2026-01-02T03:04:05.006Z,scan_1\n');
});
