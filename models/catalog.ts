import type { ModelInfo } from '../shared/domain';
import { MODELS } from './registry';

/** The zoo as the contract shows it: metadata only, no builders cross the wire. */
export function listModelInfos(): ModelInfo[] {
  return MODELS.map((m) => ({
    id: m.id,
    family: m.family,
    kind: m.kind,
    description: m.description,
    defaults: { ...m.defaults },
  }));
}
