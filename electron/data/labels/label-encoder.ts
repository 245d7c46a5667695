export type LabelMode = '5class' | 'binary' | 'attack';
export const KDD_CATEGORIES = ['normal', 'dos', 'probe', 'r2l', 'u2r'] as const;
export const BINARY_CLASSES = ['normal', 'attack'] as const;
/** Binary classes of non-KDD data (URLs, domains, CSV): the words an analyst of such data uses. */
export const GENERIC_BINARY_CLASSES = ['benign', 'malicious'] as const;
export const DEFAULT_BENIGN = ['normal', 'benign', 'legit', 'legitimate', 'good', 'clean'];

/**
 * Standard KDD attack → category map: the 22 training attacks (UCI training_attack_types) plus the
 * 17 attacks that only appear in the test sets (corrected / KDDTest+).
 */
export const DEFAULT_ATTACK_MAP: Readonly<Record<string, string>> = Object.freeze({
  normal: 'normal',
  back: 'dos', land: 'dos', neptune: 'dos', pod: 'dos', smurf: 'dos', teardrop: 'dos',
  apache2: 'dos', mailbomb: 'dos', processtable: 'dos', udpstorm: 'dos',
  ipsweep: 'probe', nmap: 'probe', portsweep: 'probe', satan: 'probe', mscan: 'probe', saint: 'probe',
  ftp_write: 'r2l', guess_passwd: 'r2l', imap: 'r2l', multihop: 'r2l', phf: 'r2l', spy: 'r2l',
  warezclient: 'r2l', warezmaster: 'r2l', named: 'r2l', sendmail: 'r2l', snmpgetattack: 'r2l',
  snmpguess: 'r2l', worm: 'r2l', xlock: 'r2l', xsnoop: 'r2l',
  buffer_overflow: 'u2r', loadmodule: 'u2r', perl: 'u2r', rootkit: 'u2r',
  httptunnel: 'u2r', ps: 'u2r', sqlattack: 'u2r', xterm: 'u2r',
});

export interface LabelEncoderJSON {
  kind: 'labels';
  version: 1;
  mode: LabelMode;
  taxonomy: 'kdd' | 'generic';
  /** Class index i ↔ classes[i]. */
  classes: string[];
  /** KDD taxonomy only. */
  attackMap?: Record<string, string>;
  /** Lower-cased benign labels (generic taxonomy). */
  benign: string[];
}

/**
 * Maps raw labels to categories and class indices. A label the map does not know is never guessed:
 * category() returns undefined and encode() returns -1, and the importer reports it.
 */
export class LabelEncoder {
  readonly json: LabelEncoderJSON;
  private readonly index = new Map<string, number>();
  private readonly benign: Set<string>;

  constructor(json: LabelEncoderJSON) {
    if (json.kind !== 'labels' || json.version !== 1) throw new Error('not a version-1 label encoder');
    this.json = json;
    json.classes.forEach((c, i) => this.index.set(c, i));
    this.benign = new Set(json.benign.map((b) => b.toLowerCase()));
  }

  /** Classes are fixed for '5class'/'binary'; for 'attack' they are the labels seen in training, sorted. */
  static fit(
    mode: LabelMode,
    taxonomy: 'kdd' | 'generic',
    seen: Iterable<string>,
    opts: { attackMap?: Record<string, string>; benign?: string[] } = {},
  ): LabelEncoder {
    if (mode === '5class' && taxonomy !== 'kdd') throw new Error("label mode '5class' needs KDD attack labels");
    const attackMap = taxonomy === 'kdd' ? { ...(opts.attackMap ?? DEFAULT_ATTACK_MAP) } : undefined;
    const benign = (opts.benign ?? DEFAULT_BENIGN).map((b) => b.toLowerCase());
    let classes: string[];
    if (mode === '5class') classes = [...KDD_CATEGORIES];
    else if (mode === 'binary') classes = taxonomy === 'kdd' ? [...BINARY_CLASSES] : [...GENERIC_BINARY_CLASSES];
    else classes = [...new Set(seen)].sort();
    return new LabelEncoder({ kind: 'labels', version: 1, mode, taxonomy, classes, attackMap, benign });
  }

  /** 'normal' | 'dos' | ... for KDD, 'benign' | 'malicious' otherwise; undefined = unknown label. */
  category(raw: string): string | undefined {
    if (this.json.taxonomy === 'kdd') return this.json.attackMap![raw];
    return this.benign.has(raw.toLowerCase()) ? 'benign' : 'malicious';
  }

  isBenign(raw: string): boolean | undefined {
    const c = this.category(raw);
    return c === undefined ? undefined : isBenignCategory(c);
  }

  encode(raw: string): number {
    switch (this.json.mode) {
      case '5class': {
        const c = this.category(raw);
        return c === undefined ? -1 : (this.index.get(c) ?? -1);
      }
      case 'binary': {
        const c = this.category(raw);
        return c === undefined ? -1 : isBenignCategory(c) ? 0 : 1;
      }
      default:
        return this.index.get(raw) ?? -1;
    }
  }
}

/** The benign category of either taxonomy ('normal' for KDD, 'benign' for the rest). */
export function isBenignCategory(category: string): boolean {
  return category === 'normal' || category === 'benign';
}
