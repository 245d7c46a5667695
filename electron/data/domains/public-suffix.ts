/**
 * A compact, hand-written public-suffix list: the common multi-label suffixes under which names are
 * registered (co.uk, com.au, co.jp, com.br, …) plus a few widely used hosting / dynamic-DNS suffixes.
 * Written from knowledge of the Mozilla Public Suffix List, not downloaded (the workbench is offline).
 * Any suffix not listed falls back to the last label (`example.xyz` → `example`), which is right for
 * every single-label TLD, so those need no entry.
 */

/** Second-level labels registered under each country TLD. */
const UNDER_TLD: Record<string, string> = {
  uk: 'co org me ltd plc net sch ac gov nhs police mod',
  au: 'com net org edu gov asn id csiro act nsw nt qld sa tas vic wa',
  nz: 'co net org govt ac school geek gen kiwi maori iwi mil cri health parliament',
  jp: 'co ne or ac ad ed go gr lg',
  kr: 'co ne or re pe go ac hs ms es sc kg mil',
  cn: 'com net org gov edu ac mil ah bj cq fj gd gs gz gx ha hb he hi hk hl hn jl js jx ln mo nm nx qh sc sd sh sn sx tj tw xj xz yn zj',
  hk: 'com net org gov edu idv',
  tw: 'com net org gov edu idv mil game ebiz club',
  sg: 'com net org gov edu per',
  my: 'com net org gov edu mil name biz',
  id: 'co ac or go web net sch mil my biz desa',
  th: 'co in ac go or net mi',
  vn: 'com net org gov edu int ac biz info name pro health',
  ph: 'com net org gov edu mil ngo',
  pk: 'com net org gov edu fam biz web gob gok gon gop gos',
  bd: 'com net org gov edu ac mil',
  lk: 'com net org gov edu ac sch int ltd assn grp hotel',
  np: 'com net org gov edu mil',
  in: 'co net org firm gen ind ac edu res gov mil nic',
  br: 'com net org gov edu art blog eco eng ind inf log med nom rec srv tmp tur tv vet app dev leg mil mp adv arq bio esp far fot jor lel mat not odo ppg pro psc psi qsl taxi trd wiki',
  ar: 'com net org gob edu int mil tur',
  mx: 'com net org gob edu',
  co: 'com net org gov edu mil nom',
  pe: 'com net org gob edu nom mil',
  cl: 'gob gov mil co',
  ve: 'com net org gob edu co web info',
  ec: 'com net org gob edu fin info med pro',
  uy: 'com net org gub edu mil',
  py: 'com net org gov edu mil coop',
  bo: 'com net org gob edu int mil tv',
  gt: 'com net org gob edu mil ind',
  cr: 'co or ac go fi ed sa',
  pa: 'com net org gob edu ac sld ing abo med nom',
  do: 'com net org gob edu gov mil art sld web',
  sv: 'com org gob edu red',
  hn: 'com net org gob edu mil',
  ni: 'com net org gob edu in co',
  cu: 'com net org gov edu inf',
  pr: 'com net org gov edu biz info name pro',
  jm: 'com net org gov edu mil',
  tt: 'co com net org gov edu biz info name pro',
  tr: 'com net org gov edu gen biz info av bbs bel k12 name pol tel web tv mil',
  il: 'co org net ac gov muni k12 idf',
  ir: 'co ac gov id net org sch',
  sa: 'com net org gov edu med pub sch',
  ae: 'co net org gov ac mil sch',
  qa: 'com net org gov edu mil name sch',
  kw: 'com net org gov edu',
  om: 'co com net org gov edu med pro',
  bh: 'com net org gov edu',
  jo: 'com net org gov edu mil name sch',
  lb: 'com net org gov edu',
  eg: 'com net org gov edu eun mil sci',
  ma: 'co net org gov ac press',
  tn: 'com net org gov edu ens fin ind info intl nat rns tourism',
  dz: 'com net org gov edu asso pol art',
  ng: 'com net org gov edu name sch mobi i',
  ke: 'co or ne go ac sc me mobi info',
  tz: 'co or ne go ac sc me mil',
  ug: 'co or ne go ac sc com org',
  gh: 'com org gov edu mil',
  zw: 'co org gov ac mil',
  zm: 'co com net org gov edu ac mil sch',
  za: 'co org net gov edu ac web nom law mil school',
  et: 'com net org gov edu biz info name',
  ua: 'com net org gov edu in kiev kharkov lviv odessa dp zp',
  ru: 'com net org pp msk spb',
  by: 'com net org gov mil',
  kz: 'com net org gov edu mil',
  pl: 'com net org gov edu info biz waw art gmina sklep pc',
  at: 'co or ac gv',
  be: 'ac',
  fr: 'asso com gouv nom prd tm',
  es: 'com nom org gob edu',
  pt: 'com org gov edu net int nome publ',
  gr: 'com net org gov edu',
  hu: 'co info org priv sport tm agrar bolt city film hotel media news shop suli tozsde utazas video',
  ro: 'com org info nom rec store tm www arts firm nt',
  cy: 'com net org gov ac biz',
  mt: 'com net org gov edu',
  hr: 'com from iz name',
  rs: 'co org edu ac gov in',
  ba: 'com net org gov edu mil',
  mk: 'com net org gov edu inf name',
  al: 'com net org gov edu mil',
  no: 'priv',
  se: 'org pp tm',
  im: 'co com net org',
  je: 'co net org',
  gg: 'co net org',
  us: 'ak al ar az ca co ct dc de fl ga hi ia id il in ks ky la ma md me mi mn mo ms mt nc nd ne nh nj nm nv ny oh ok or pa ri sc sd tn tx ut va vt wa wi wv wy',
  ca: 'ab bc mb nb nf nl ns nt nu on pe qc sk yk',
  fj: 'ac biz com gov info mil name net org pro',
  pg: 'com net org gov edu ac mil',
  ws: 'com net org gov edu',
  to: 'com net org gov edu mil',
  ly: 'com net org gov edu id med plc sch',
  mu: 'com net org gov ac co or',
  na: 'co com org',
  bw: 'co org',
  cm: 'co com net gov',
  ci: 'co com org ac ed go or',
  sn: 'com org gouv edu art univ',
  af: 'com net org gov edu',
  kh: 'com net org gov edu mil per',
  mm: 'com net org gov edu',
  mn: 'gov edu org',
  uz: 'co com net org',
  az: 'com net org gov edu biz info int mil name pro',
  ge: 'com net org gov edu mil pvt',
  am: 'co com net org',
};

/** Suffixes of more than one label that are not "<label>.<cc>" with a country TLD above. */
const OTHER = [
  // Private-section suffixes: each name under them belongs to a different customer.
  'blogspot.com', 'github.io', 'gitlab.io', 'herokuapp.com', 'appspot.com', 'cloudfront.net', 'amazonaws.com',
  's3.amazonaws.com', 'elasticbeanstalk.com', 'azurewebsites.net', 'cloudapp.net', 'azureedge.net', 'trafficmanager.net',
  'netlify.app', 'vercel.app', 'pages.dev', 'workers.dev', 'firebaseapp.com', 'web.app', 'onrender.com', 'fly.dev',
  'myshopify.com', 'wixsite.com', 'weebly.com', 'ngrok.io', 'glitch.me', 'repl.co', 'fastly.net', 'akamaized.net',
  'dyndns.org', 'no-ip.org', 'no-ip.com', 'no-ip.biz', 'ddns.net', 'duckdns.org', 'hopto.org', 'zapto.org', 'sytes.net',
  'servebeer.com', 'serveftp.com', 'freedns.org', 'afraid.org', 'dynu.net', 'changeip.com', '3utilities.com',
  'blogspot.co.uk', 'blogspot.com.br', 'blogspot.in', 'blogspot.de', 'blogspot.fr', 'blogspot.jp',
  // Generic second levels.
  'co.com', 'us.com', 'uk.com', 'eu.com', 'br.com', 'cn.com', 'de.com', 'jpn.com', 'ru.com', 'sa.com', 'za.com',
  'uk.net', 'gb.net', 'se.net', 'eu.org', 'us.org',
];

export const PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  ...Object.entries(UNDER_TLD).flatMap(([tld, labels]) => labels.split(' ').map((l) => `${l}.${tld}`)),
  ...OTHER,
]);

/** The longest listed suffix needs at most this many labels. */
const MAX_SUFFIX_LABELS = Math.max(...[...PUBLIC_SUFFIXES].map((s) => s.split('.').length));

/**
 * The name without its public suffix: the longest listed multi-label suffix, else the last label.
 * A leading `www.` goes too (it says nothing about the name, and benign lists carry it more often than
 * DGA output, which makes it a shortcut). When nothing would remain (`co.uk`, `localhost`), the input is
 * returned unchanged rather than an empty string. Expects a normalised domain (normalizeDomain).
 */
export function stripPublicSuffix(domain: string): string {
  if (PUBLIC_SUFFIXES.has(domain)) return domain;
  const labels = domain.split('.');
  let cut = 1;
  for (let k = Math.min(MAX_SUFFIX_LABELS, labels.length - 1); k >= 2; k--) {
    if (PUBLIC_SUFFIXES.has(labels.slice(labels.length - k).join('.'))) {
      cut = k;
      break;
    }
  }
  let rest = labels.slice(0, labels.length - cut);
  if (rest.length > 1 && rest[0] === 'www') rest = rest.slice(1);
  return rest.length && rest.join('') !== '' ? rest.join('.') : domain;
}
