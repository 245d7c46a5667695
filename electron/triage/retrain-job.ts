import fs from 'node:fs';
import path from 'node:path';
import { readCache } from '../data/cache/cache-file';
import { CharSeqEncoder, type CharSeqJSON } from '../data/featurize/charseq';
import type { JobHandler } from '../jobs/context';
import { openDatabase } from '../store/db';
import { eachVerdict } from './verdict-store';

export interface RetrainBuildInput {
  dbPath: string;
  /** The run's training dataset cache: its rows are read back as the text the model saw. */
  cachePath: string;
  featurizer: CharSeqJSON;
  /** Raw labels that the run's label encoder maps to the normal and the attack class. */
  labels: { normal: string; attack: string };
  normalIndex: number;
  outDir: string;
}

export interface RetrainFile {
  path: string;
  fixedLabel: string;
  rows: number;
}

export interface RetrainBuildResult {
  /** Training rows first, then the verdict files (verdicts-*.txt: their row ids mark them as verdicts). */
  files: RetrainFile[];
  trainRows: number;
  verdictRows: number;
  /** Training rows whose text a verdict now labels (the verdict wins). */
  relabelled: number;
  /** The verdict items alone, for the comparison on the verdict set. */
  verdictFiles: RetrainFile[];
}

/** Character ids back to text: the printable ASCII the id stands for; unknown (1) as a non-ASCII char that encodes to 1 again. */
function decodeRow(ids: Int32Array, from: number, dim: number): string {
  let s = '';
  for (let i = from; i < from + dim; i++) {
    const id = ids[i];
    if (id === 0) break;
    s += id === 1 ? '\u0080' : String.fromCharCode(id + 30);
  }
  return s;
}

/**
 * Builds the retraining files: the run's training rows (as the model saw them, one file per class) plus
 * the malicious and benign verdicts on URLs and domains, deduplicated on the model's input text, with the
 * verdict's label winning where a training row says otherwise. Unsure verdicts are left out.
 */
export const retrainBuildJob: JobHandler = async (raw, ctx) => {
  const input = raw as RetrainBuildInput;
  const encoder = new CharSeqEncoder(input.featurizer);
  const db = openDatabase(input.dbPath);
  const verdictText = new Map<string, { item: string; malicious: boolean }>();
  try {
    for (const kind of ['malicious', 'benign'] as const) {
      for (const v of eachVerdict(db, kind)) {
        if (v.kind !== 'url' && v.kind !== 'domain') continue;
        // One line per item: text with a line break cannot be a line of a list file.
        if (/[\r\n]/.test(v.item)) continue;
        verdictText.set(encoder.prepare(v.item), { item: v.item, malicious: kind === 'malicious' });
      }
    }
  } finally {
    db.close();
  }
  ctx.progress({ fraction: 0.1, message: `${verdictText.size} verdicts; reading the training rows` });
  const data = await readCache(input.cachePath);
  const dim = data.cols;
  const ids = data.features as Int32Array;
  fs.mkdirSync(input.outDir, { recursive: true });
  const out = {
    normal: { path: path.join(input.outDir, 'train-normal.txt'), lines: [] as string[] },
    attack: { path: path.join(input.outDir, 'train-attack.txt'), lines: [] as string[] },
  };
  const seen = new Set<string>();
  let relabelled = 0;
  for (let r = 0; r < data.rows; r++) {
    const y = data.labels?.[r] ?? -1;
    if (y < 0) continue;
    const text = decodeRow(ids, r * dim, dim);
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    const v = verdictText.get(text);
    if (v) {
      if (v.malicious !== (y !== input.normalIndex)) relabelled++;
      continue;
    }
    (y === input.normalIndex ? out.normal : out.attack).lines.push(text);
  }
  const vm = { path: path.join(input.outDir, 'verdicts-malicious.txt'), lines: [] as string[] };
  const vb = { path: path.join(input.outDir, 'verdicts-benign.txt'), lines: [] as string[] };
  for (const v of verdictText.values()) (v.malicious ? vm : vb).lines.push(v.item);
  const write = (f: { path: string; lines: string[] }, fixedLabel: string): RetrainFile => {
    fs.writeFileSync(f.path, f.lines.join('\n') + '\n');
    return { path: f.path, fixedLabel, rows: f.lines.length };
  };
  const files = [write(out.normal, input.labels.normal), write(out.attack, input.labels.attack)];
  const verdictFiles = [vm.lines.length ? write(vm, input.labels.attack) : null, vb.lines.length ? write(vb, input.labels.normal) : null].filter((f): f is RetrainFile => f !== null);
  const result: RetrainBuildResult = {
    files: [...files.filter((f) => f.rows > 0), ...verdictFiles],
    trainRows: out.normal.lines.length + out.attack.lines.length,
    verdictRows: vm.lines.length + vb.lines.length,
    relabelled,
    verdictFiles,
  };
  return result;
};
