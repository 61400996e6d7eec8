import { expect } from 'chai';
import { defaultsOf, type OptionsOf, optionsSchema } from './options-schema.js';

const SCHEMA = optionsSchema(
  {
    rate: { type: 'number', default: 0.1 },
    count: { type: 'integer', minimum: 1 },
    mode: { enum: ['fast', 'exact'], default: 'exact' },
    flag: { type: 'boolean', default: false },
    label: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    sizes: { type: 'array', items: { type: 'integer' }, default: [1] },
    task: { $ref: '#/$defs/task' },
    phases: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, until: { type: 'integer' } } } },
  },
  ['task'],
);
type Options = OptionsOf<typeof SCHEMA>;

// Compile-time checks: each line fails the build if the derived type is wrong.
const full: Options = { rate: 1, mode: 'fast', flag: true, sizes: [2], task: { type: 't' }, count: 3, label: 'x', phases: [{ name: 'a', until: 2 }] };
const minimal: Options = { rate: 1, mode: 'exact', flag: false, sizes: [], task: { type: 't' } };
// @ts-expect-error a defaulted option is present after validation
const missingDefaulted: Options = { mode: 'exact', flag: false, sizes: [], task: { type: 't' } };
// @ts-expect-error an enum admits only its values
const badEnum: Options = { ...minimal, mode: 'slow' };
// @ts-expect-error a required nested key
const badPhase: Options = { ...minimal, phases: [{ until: 2 }] };
// @ts-expect-error anyOf: string or number, nothing else
const badLabel: Options = { ...minimal, label: true };

describe('options schemas', () => {
  it('derive their defaults: every option with one, as ajv fills them in', () => {
    expect(defaultsOf(SCHEMA)).to.deep.equal({ rate: 0.1, mode: 'exact', flag: false, sizes: [1] });
    expect([full, minimal, missingDefaulted, badEnum, badPhase, badLabel]).to.have.length(6);
  });
});
