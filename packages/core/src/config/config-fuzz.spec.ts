import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError } from './config-error.js';
import { resolveText } from '../test-support/config-fixtures.js';

const VALID = {
  name: 'fuzz',
  seeds: 3,
  cycles: 1000,
  task: { type: 'test-task', letters: 4 },
  policy: { type: 'test-threshold', threshold: 0.1, minMultiplier: 0.01 },
  log: { every: 10 },
  arms: [{ name: 'a' }, { name: 'b', model: { hidden: 3 }, policy: 'test-threshold' }],
};

/** Loads `text`; anything thrown other than a ConfigError fails the property. */
function loadsOrRefusesCleanly(text: string): boolean {
  try {
    resolveText(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) {
      expect(p.file).to.equal('exp.yaml');
      expect(p.line).to.be.at.least(1);
      expect(p.message.length).to.be.greaterThan(0);
    }
  }
  return true;
}

/** Replaces the value at a random path of `value` with `replacement`. */
function mutate(value: unknown, choices: number[], replacement: unknown): unknown {
  if (!choices.length || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (!keys.length) return replacement;
  const key = keys[choices[0] % keys.length];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[key] = mutate(copy[key], choices.slice(1), replacement);
  return copy;
}

describe('config loading under random input', () => {
  it('accepts the unmutated config', () => {
    expect(resolveText(stringify(VALID)).arms).to.have.length(2);
  });

  it('never throws anything but a ConfigError with positions, for mutated configs', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 4 }), fc.anything({ withNullPrototype: false, maxDepth: 2 }), (choices, replacement) => {
        let text: string | undefined;
        try {
          text = stringify(mutate(VALID, choices, replacement));
        } catch {
          return true; // not representable as YAML: nothing to load
        }
        return typeof text !== 'string' || loadsOrRefusesCleanly(text);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws anything but a ConfigError for arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), loadsOrRefusesCleanly), { numRuns: 400 });
    const yamlish = fc.array(
      fc.constantFrom(
        'name: x\n',
        'task: test-task\n',
        'arms:\n',
        '  - ',
        '{',
        '}',
        '[',
        ']',
        ': ',
        '&a ',
        '*a ',
        '!!str ',
        '"',
        "'",
        '\t',
        '\n',
        '#',
        '? ',
        '- ',
        '__proto__: ',
        'constructor: ',
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(yamlish, (parts) => loadsOrRefusesCleanly(parts.join(''))),
      { numRuns: 600 },
    );
  });

  it('does not let a __proto__ key reach an object prototype', () => {
    const problems = (() => {
      try {
        resolveText('name: x\ntask: test-task\npolicy: { __proto__: { polluted: 1 } }\narms: [{ name: a, model: { __proto__: { hidden: 5 } } }]\n');
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.message);
      }
    })();
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(problems.join('\n')).to.contain('__proto__');
  });
});
