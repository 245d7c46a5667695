import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, registeredDomain, ruleProblem } from '../../../electron/triage/rules';
import type { Rule } from '../../../shared/triage';

const rule = (id: string, kind: Rule['kind'], pattern: string, enabled = true): Rule => ({ id, kind, pattern, note: '', enabled, createdAt: 0 });

test('registeredDomain keeps one label before the public suffix', () => {
  assert.equal(registeredDomain('a.b.example.co.uk'), 'example.co.uk');
  assert.equal(registeredDomain('cdn.example.com'), 'example.com');
  assert.equal(registeredDomain('example.com'), 'example.com');
  assert.equal(registeredDomain('localhost'), 'localhost');
});

test('each rule kind matches what it says and nothing more; the first matching rule names the suppression', () => {
  const match = compileRules([
    rule('exact', 'exact', 'https://www.Example.com/login'),
    rule('reg', 'registered', 'http://mail.corp-intranet.co.uk/x'),
    rule('prefix', 'prefix', 'updates.vendor.com/win/'),
    rule('regex', 'regex', '^cdn[0-9]+\\.akamai\\.'),
    rule('conn', 'conn', '10.0.0.5 * 53 udp'),
    rule('off', 'exact', 'disabled.example', false),
  ]);
  assert.equal(match('example.com/login'), 'exact');
  assert.equal(match('http://example.com/login?x=1'), null);
  assert.equal(match('corp-intranet.co.uk'), 'reg');
  assert.equal(match('https://a.b.corp-intranet.co.uk:8443/path'), 'reg');
  assert.equal(match('evilcorp-intranet.co.uk'), null);
  assert.equal(match('http://updates.vendor.com/win/kb123.cab'), 'prefix');
  assert.equal(match('updates.vendor.com/mac/kb123'), null);
  assert.equal(match('CDN12.akamai.net/x'), 'regex');
  assert.equal(match('10.0.0.5 8.8.8.8 53 UDP'), 'conn');
  assert.equal(match('10.0.0.6 8.8.8.8 53 udp'), null);
  assert.equal(match('disabled.example'), null);
});

test('bad patterns are refused with a reason', () => {
  assert.match(ruleProblem('regex', '(unclosed')!, /not a regular expression/);
  assert.match(ruleProblem('conn', '10.0.0.5 53')!, /four fields/);
  assert.match(ruleProblem('registered', 'not a domain/..')!, /not a domain name/);
  assert.equal(ruleProblem('prefix', '  '), 'the pattern is empty');
  assert.equal(ruleProblem('exact', 'x.com'), null);
});
