import { DiffstructError } from '../errors.js';
import { nearest } from '../config/nearest.js';
import type { AnyContribution } from './contribution.js';

/** The contributions to one extension point, looked up by their `type`. */
export class ContributionRegistry<C extends AnyContribution> {
  private readonly byType = new Map<string, C>();

  constructor(
    /** The extension point's name in errors, e.g. 'policy'. */
    readonly point: string,
    contributions: readonly C[],
  ) {
    for (const c of contributions) {
      if (this.byType.has(c.type)) throw new DiffstructError(`two ${point} plugins claim the type "${c.type}"`);
      this.byType.set(c.type, c);
    }
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  get(type: string): C {
    const c = this.byType.get(type);
    if (!c) throw new DiffstructError(unknownTypeMessage(this.point, type, this.types()));
    return c;
  }

  /** Known types, sorted. */
  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  all(): C[] {
    return this.types().map((t) => this.get(t));
  }
}

export function unknownTypeMessage(point: string, type: string, known: readonly string[]): string {
  const hint = nearest(type, known);
  const list = known.length ? known.join(', ') : `none (no ${point} plugin is loaded)`;
  return `unknown ${point} type "${type}"${hint ? ` (did you mean "${hint}"?)` : ''}; known ${point} types: ${list}`;
}
