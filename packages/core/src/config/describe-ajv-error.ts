import type { ErrorObject } from 'ajv';
import { POINT_COMMENT } from './composed-schema.js';
import { describeValue } from './config-error.js';
import { nearest } from './nearest.js';

export interface DescribedError {
  /** Path of the offending key inside the validated object. */
  readonly path: (string | number)[];
  /** For an unknown key: point at the key itself rather than its value. */
  readonly unknownKey?: string;
  readonly message: string;
}

/** Turns an ajv error into "expected X, found Y", naming keys and allowed values ajv leaves out. */
export function describeAjvError(error: ErrorObject): DescribedError | undefined {
  const path = parsePointer(error.instancePath);
  const found = describeValue(error.data);
  const p = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` keywords are reported on their own
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((parent.properties as object | undefined) ?? {}).filter((k) => k !== 'type');
      const hint = nearest(key, known);
      return {
        path: [...path, key],
        unknownKey: key,
        message: `expected one of the keys ${known.join(', ') || '(none)'}; found unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    }
    case 'required': {
      const key = String(p.missingProperty);
      return { path: [...path, key], message: `expected key "${key}", found none` };
    }
    case 'enum':
    case 'not': {
      const comment = typeof parent.$comment === 'string' ? parent.$comment : '';
      const point = comment.startsWith(POINT_COMMENT) ? comment.slice(POINT_COMMENT.length) : undefined;
      const allowed = (p.allowedValues as unknown[] | undefined) ?? [];
      if (point) {
        const hint = typeof error.data === 'string' ? nearest(error.data, allowed.map(String)) : undefined;
        const list = allowed.length ? allowed.join(', ') : `none (no ${point} plugin is loaded)`;
        // Without a near name, the likeliest cause is a plugin package's type with the package missing from plugins:.
        const named = typeof error.data === 'string';
        const advice = hint ? `; did you mean "${hint}"?` : named ? `; a plugin package's ${point} types need the package in plugins:` : '';
        return { path, message: `expected a known ${point} type (${list}), found ${found}${advice}` };
      }
      return { path, message: `expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, found ${found}` };
    }
    case 'filePath':
      return { path, message: `${error.message ?? 'expected an existing file'}, found ${found}` };
    case 'type':
      return { path, message: `expected ${typeName(String(p.type))}, found ${found}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const what = parent.type === 'integer' ? 'an integer' : 'a number';
      return { path, message: `expected ${what} ${p.comparison} ${p.limit}, found ${found}` };
    }
    case 'multipleOf':
      return { path, message: `expected a multiple of ${p.multipleOf}, found ${found}` };
    case 'pattern':
    case 'minLength':
    case 'maxLength':
    case 'format':
      return { path, message: `expected ${(parent.description as string | undefined) ?? `a string that ${error.message}`}, found ${found}` };
    case 'minItems':
      return { path, message: `expected a list of at least ${p.limit} item${p.limit === 1 ? '' : 's'}, found ${(error.data as unknown[]).length}` };
    case 'maxItems':
      return { path, message: `expected a list of at most ${p.limit} items, found ${(error.data as unknown[]).length}` };
    case 'const':
      return { path, message: `expected ${JSON.stringify(p.allowedValue)}, found ${found}` };
    default:
      return { path, message: `expected a value that ${error.message ?? 'matches the schema'}, found ${found}` };
  }
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    number: 'a number',
    integer: 'an integer',
    string: 'a string',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    null: 'nothing (null)',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

/** A JSON pointer (ajv's instancePath) as a path: list indices become numbers. */
export function parsePointer(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
