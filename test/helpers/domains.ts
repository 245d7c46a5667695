/**
 * Generated domain lists a character model separates in a few epochs: benign names are readable words,
 * DGA names long random consonant runs. Written by code, never copied from a dataset.
 */
const WORDS = ['news', 'city', 'library', 'shop', 'garden', 'music', 'travel', 'school', 'photo', 'market', 'health', 'sport'];
const TLDS = ['com', 'org', 'net', 'co.uk'];

export function benignDomain(i: number): string {
  return `${WORDS[i % WORDS.length]}${WORDS[(i * 7 + 3) % WORDS.length]}${i}.${TLDS[i % TLDS.length]}`;
}

export function dgaDomain(i: number): string {
  const consonants = 'bcdfghjklmnpqrstvwxz';
  let s = '';
  // mulberry32: a seeded generator whose output does not cycle over a few letters as a plain LCG's low bits do.
  let a = (i + 1) * 0x9e3779b9;
  for (let k = 0; k < 14; k++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    s += consonants[((t ^ (t >>> 14)) >>> 0) % consonants.length];
  }
  return `${s}.${i % 2 ? 'info' : 'biz'}`;
}

/** A Zeek dns.log: the header block, then one A query per line (uid and times made up, fields as Zeek writes them). */
export function zeekDnsLog(queries: string[]): string {
  const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'query', 'qclass', 'qclass_name', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'answers'];
  const head = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tdns', '#open\t2026-01-01-00-00-00', `#fields\t${fields.join('\t')}`, `#types\t${fields.map(() => 'string').join('\t')}`];
  const rows = queries.map((q, i) => [`${1767225600 + i}.000000`, `C${i.toString(36)}x`, '10.0.0.5', String(40000 + i), '10.0.0.1', '53', 'udp', String(i), q, '1', 'C_INTERNET', '1', 'A', '0', 'NOERROR', '-'].join('\t'));
  return [...head, ...rows, '#close\t2026-01-01-01-00-00'].join('\n') + '\n';
}

/** A Zeek http.log with host and uri, one request per line. */
export function zeekHttpLog(requests: { host: string; uri: string }[]): string {
  const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'method', 'host', 'uri', 'status_code'];
  const head = ['#separator \\x09', '#path\thttp', `#fields\t${fields.join('\t')}`];
  const rows = requests.map((r, i) => [`${1767225600 + i}.0`, `H${i}`, '10.0.0.5', String(50000 + i), '93.184.216.34', '80', 'GET', r.host, r.uri, '200'].join('\t'));
  return [...head, ...rows].join('\n') + '\n';
}
