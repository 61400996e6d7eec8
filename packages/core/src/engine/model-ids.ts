import type { Model } from '../contracts/model.js';
import { DiffstructError } from '../errors.js';

/**
 * Refuses a model whose layer ids, parameter names within a layer or growable ids repeat: a
 * checkpoint keys each by them, so a duplicate would overwrite another's entry and restore the
 * wrong array into it (and two growables of one id would share one policy).
 */
export function assertUniqueModelIds(model: Model): void {
  const refuse = (what: string) => new DiffstructError(`model "${model.type}": ${what}`);
  const layerIds = new Set<string>();
  for (const layer of model.layers) {
    if (layerIds.has(layer.id)) throw refuse(`two layers have the id "${layer.id}"`);
    layerIds.add(layer.id);
    const names = new Set<string>();
    for (const p of layer.parameters()) {
      if (names.has(p.name)) throw refuse(`layer "${layer.id}" has two parameters named "${p.name}"`);
      names.add(p.name);
    }
  }
  const growableIds = new Set<string>();
  for (const g of model.growables) {
    if (growableIds.has(g.id)) throw refuse(`two growables have the id "${g.id}"`);
    growableIds.add(g.id);
  }
}
