import { DataError } from '../errors';
import { Grow } from '../primitives/growable-array';
import { DEFAULT_BEHAVIOUR_DROP } from '../readers/behaviour';
import type { CodedBatch } from '../readers/kdd-byte-scanner';
import type { DatasetReader } from '../readers/reader';
import type { SummaryBuilder } from '../summary/dataset-summary';
import type { DataRecord, ImportOptions } from '../types';
import { isBenignCategory, LabelEncoder, type LabelMode } from './label-encoder';

const KEEP = 1;
const DROP = 2;
const UNKNOWN = 3;
const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Label bookkeeping shared by both import paths: drop list, unknown labels, class dictionary. */
export class LabelState {
  readonly labelled: boolean;
  readonly mode: LabelMode;
  private readonly probe: LabelEncoder | undefined;
  private readonly given: LabelEncoder | undefined;
  private readonly drop: Set<string>;
  readonly dict = new Map<string, number>();
  readonly codes: Grow<Uint32Array>;
  category: string | undefined;
  benign: boolean | undefined;

  constructor(r: DatasetReader, private readonly opts: ImportOptions, capacity: number) {
    this.labelled = r.schema.labelSource !== undefined;
    const lo = opts.labels ?? {};
    this.given = opts.labelEncoder ? new LabelEncoder(opts.labelEncoder) : undefined;
    this.mode = this.given?.json.mode ?? lo.mode ?? defaultLabelMode(r.schema.taxonomy, r.schema.format);
    if (this.labelled) {
      if (this.given && this.given.json.taxonomy !== r.schema.taxonomy) {
        throw new DataError(r.source.file, undefined, `label encoder is for ${this.given.json.taxonomy} labels, this file has ${r.schema.taxonomy} labels`);
      }
      this.probe = this.given ?? LabelEncoder.fit(this.mode, r.schema.taxonomy, [], { attackMap: lo.attackMap, benign: lo.benign });
    }
    this.drop = new Set(lo.drop ?? (r.schema.format === 'zeek-behaviour' ? DEFAULT_BEHAVIOUR_DROP : []));
    this.codes = new Grow(Uint32Array, this.labelled ? capacity : 0);
  }

  /** false = skip the row. Fills `category` / `benign` for the summary. */
  accept(rec: DataRecord, r: DatasetReader, summary: SummaryBuilder | undefined): boolean {
    if (!this.labelled) return true;
    const raw = rec.label!;
    if (this.drop.has(raw)) {
      if (summary) summary.dropped.set(raw, (summary.dropped.get(raw) ?? 0) + 1);
      return false;
    }
    const cat = this.probe!.category(raw);
    if (cat === undefined) {
      if (summary) {
        summary.unknown.set(raw, (summary.unknown.get(raw) ?? 0) + 1);
        r.malformed.add(rec.line, `unknown label "${raw}" (not in the attack map)`, rec.raw);
      }
      return false;
    }
    if (summary && this.given && this.given.encode(raw) < 0) summary.unseen.set(raw, (summary.unseen.get(raw) ?? 0) + 1);
    this.category = cat;
    this.benign = isBenignCategory(cat);
    let c = this.dict.get(raw);
    if (c === undefined) this.dict.set(raw, (c = this.dict.size));
    this.codes.push(c);
    return true;
  }

  /** accept() for the byte path: the label is a code into `names`; checks run once per distinct label. */
  acceptCode(code: number, names: string[], b: CodedBatch, i: number, r: DatasetReader, summary: SummaryBuilder | undefined): boolean {
    if (!this.labelled) return true;
    if (code >= this.verdict.length) this.growVerdicts(code);
    let v = this.verdict[code];
    if (v === 0) v = this.judge(code, names[code]);
    if (v === KEEP) {
      if (summary && this.unseenCode[code]) inc(summary.unseen, names[code]);
      this.category = this.categoryCode[code];
      this.benign = isBenignCategory(this.category);
      this.codes.push(this.dictCode[code]);
      return true;
    }
    if (v === DROP) {
      if (summary) inc(summary.dropped, names[code]);
      return false;
    }
    if (summary) {
      inc(summary.unknown, names[code]);
      r.malformed.add(b.line[i], `unknown label "${names[code]}" (not in the attack map)`, b.text(i));
    }
    return false;
  }

  private verdict = new Int8Array(0);
  private unseenCode = new Uint8Array(0);
  private dictCode = new Uint32Array(0);
  private readonly categoryCode: string[] = [];

  private growVerdicts(code: number): void {
    const n = Math.max(64, code * 2);
    const v = new Int8Array(n);
    v.set(this.verdict);
    this.verdict = v;
    const u = new Uint8Array(n);
    u.set(this.unseenCode);
    this.unseenCode = u;
    const d = new Uint32Array(n);
    d.set(this.dictCode);
    this.dictCode = d;
  }

  /** The checks of accept() for a label seen for the first time (which, when kept, is also its first kept row). */
  private judge(code: number, raw: string): number {
    let v: number;
    if (this.drop.has(raw)) v = DROP;
    else {
      const cat = this.probe!.category(raw);
      if (cat === undefined) v = UNKNOWN;
      else {
        v = KEEP;
        this.categoryCode[code] = cat;
        this.unseenCode[code] = this.given && this.given.encode(raw) < 0 ? 1 : 0;
        let c = this.dict.get(raw);
        if (c === undefined) this.dict.set(raw, (c = this.dict.size));
        this.dictCode[code] = c;
      }
    }
    this.verdict[code] = v;
    return v;
  }

  finish(): { encoder: LabelEncoder | undefined; labels: Int32Array | null } {
    if (!this.labelled) return { encoder: undefined, labels: null };
    const lo = this.opts.labels ?? {};
    const names = [...this.dict.keys()];
    const enc = this.given ?? LabelEncoder.fit(this.mode, this.probe!.json.taxonomy, names, { attackMap: lo.attackMap, benign: lo.benign });
    const remap = Int32Array.from(names, (n) => enc.encode(n));
    const codes = this.codes.view();
    const labels = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) labels[i] = remap[codes[i]];
    return { encoder: enc, labels };
  }
}

export type FinishedLabels = ReturnType<LabelState['finish']>;

/**
 * KDD data: the five categories. URL and domain lists: benign / malicious, the question a scan answers (their
 * raw classes, e.g. phishing / defacement / malware or DGA families, stay one label mode away: 'attack').
 * Other data (CSV, Zeek): its raw classes.
 */
export function defaultLabelMode(taxonomy: 'kdd' | 'generic', format: string): LabelMode {
  if (taxonomy === 'kdd') return '5class';
  return format === 'urls' || format === 'domains' ? 'binary' : 'attack';
}
