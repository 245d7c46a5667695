import { normalizeDomain } from '../domains/normalize-domain';

/** What a text model reads: whole URLs, or domain names (a DGA / domain model). */
export type TextTarget = 'url' | 'domain';

/** One line of a Zeek log as text for a model: the text, a header, an empty or unreadable field, or a log no text model reads. */
export type ZeekTextLine =
  | { kind: 'text'; line: number; text: string }
  | { kind: 'header'; line: number }
  | { kind: 'skip'; line: number; reason: 'empty' | 'notUrl' }
  | { kind: 'unsupported'; line: number; reason: string };

/** The Zeek logs a text model can read, and the columns each takes its text from. */
const ZEEK_TEXT: Record<string, { need: string[]; build: (cell: (name: string) => string | undefined, target: TextTarget) => string | undefined }> = {
  dns: { need: ['query'], build: (cell) => cell('query') },
  http: {
    need: ['host'],
    // A domain model reads the host alone; a URL model the host and the request path, as a proxy logs it.
    build: (cell, target) => {
      const host = cell('host');
      if (host === undefined || target === 'domain') return host;
      const uri = cell('uri');
      return uri === undefined ? host : `${host}${uri.startsWith('/') ? '' : '/'}${uri}`;
    },
  },
};

function unescapeZeek(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Zeek dns.log and http.log as text lines for a URL or domain model (the scan's reader; imports read Zeek
 * logs as records through line-parsers.ts). One Zeek ASCII log (dns.log or http.log): reads the `#separator` / `#fields` / `#path` headers and turns
 * each data line into the text a model scores. Zeek writes '-' for an unset field and '(empty)' for an
 * empty one: both are counted as 'empty' skips, as are lines whose text is missing.
 */
export class ZeekTextReader {
  private separator = '\t';
  private names: string[] = [];
  private index = new Map<string, number>();
  private kind: string | null = null;
  /** Why the log cannot be scanned, reported once on its first data line. */
  private unsupported: string | null = null;

  constructor(private readonly target: TextTarget) {}

  /** 'dns', 'http', … once the headers have been read. */
  get logKind(): string | null {
    return this.kind;
  }

  parse(line: number, text: string): ZeekTextLine {
    if (text.startsWith('#')) {
      if (text.startsWith('#separator')) this.separator = unescapeZeek(text.slice('#separator'.length).trim()) || '\t';
      else if (text.startsWith('#fields')) {
        this.names = text.split(this.separator).slice(1);
        this.index = new Map(this.names.map((n, i) => [n, i]));
        this.kind ??= this.guessKind();
      } else if (text.startsWith('#path')) this.kind = text.split(this.separator)[1]?.trim() ?? null;
      return { kind: 'header', line };
    }
    if (text.trim() === '') return { kind: 'skip', line, reason: 'empty' };
    const spec = this.kind ? ZEEK_TEXT[this.kind] : undefined;
    if (!spec || !spec.need.every((n) => this.index.has(n))) {
      this.unsupported ??= this.kind
        ? `a zeek ${this.kind}.log has no text a URL or domain model reads (dns.log query, http.log host + uri)`
        : 'a zeek log without a #fields header line';
      return { kind: 'unsupported', line, reason: this.unsupported };
    }
    const cells = text.split(this.separator);
    const cell = (name: string) => {
      const v = cells[this.index.get(name) ?? -1];
      return v === undefined || v === '-' || v === '(empty)' || v === '' ? undefined : unescapeZeek(v);
    };
    const raw = spec.build(cell, this.target);
    if (raw === undefined) return { kind: 'skip', line, reason: 'empty' };
    if (this.target === 'domain') {
      const d = normalizeDomain(raw.replace(/[:/].*$/, ''));
      return typeof d === 'string' ? { kind: 'text', line, text: d } : { kind: 'skip', line, reason: 'notUrl' };
    }
    return /\s/.test(raw) ? { kind: 'skip', line, reason: 'notUrl' } : { kind: 'text', line, text: raw };
  }

  private guessKind(): string | null {
    if (this.index.has('query') && this.index.has('qtype')) return 'dns';
    if (this.index.has('host') && this.index.has('uri')) return 'http';
    return null;
  }
}
