/**
 * What a checkpoint holds of a component: plain data, typed arrays and non-finite numbers
 * included (they are encoded exactly; see `encodeState`).
 */
export type StateValue = null | boolean | number | string | Float64Array | Int32Array | readonly StateValue[] | { readonly [key: string]: StateValue };

/** A component whose exact state a checkpoint saves and a resumed run restores. */
export interface Stateful {
  saveState(): StateValue;
  /** Restores what `saveState` returned; throws rather than half-load something unexpected. */
  loadState(state: StateValue): void;
}
