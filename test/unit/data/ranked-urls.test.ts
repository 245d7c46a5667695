import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readRecords } from '../../../electron/data';
import { tmpDir } from './helpers';

// Alexa / Tranco top lists ("rank,domain", no header) are the usual source of benign URLs for a URL model:
// read as URLs, the domain is the text and the first line is data — not "2,google.com" under a header "1,facebook.com".
test('a ranked domain list read as URLs gives the domains, first line included', async () => {
  const p = path.join(tmpDir(), 'top.csv');
  fs.writeFileSync(p, '1,facebook.com\n2,google.com\n3,youtube.com\n4,bbc.co.uk\n');
  const recs: [string, string | undefined][] = [];
  for await (const r of readRecords(p, { format: 'urls' })) recs.push([r.id, r.text]);
  assert.deepEqual(recs, [
    ['top.csv:1', 'facebook.com'],
    ['top.csv:2', 'google.com'],
    ['top.csv:3', 'youtube.com'],
    ['top.csv:4', 'bbc.co.uk'],
  ]);
});
