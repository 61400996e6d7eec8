import { expect } from 'chai';
import type { GrowableView } from '../contracts/growable.js';
import { multipliersLine, parseMultipliersLine } from './multipliers-log.js';

function growable(id: string, multipliers: number[], family?: string): GrowableView {
  return {
    id,
    ...(family ? { family } : {}),
    size: multipliers.length,
    maxSize: 10,
    unitId: (i) => 10 * i + 1,
    multiplier: (i) => multipliers[i],
    birthCycle: () => 0,
  };
}

describe('multipliers.jsonl lines', () => {
  it('list each growable’s unit ids and multipliers to 4 significant digits, the family only when it is not the id', () => {
    const line = multipliersLine(1000, [
      growable('hidden', [0.123456, -2.5e-7, 12345.6, Number.NaN], 'hidden'),
      growable('block3', [1], 'block-width'),
      growable('x', []),
    ]);
    expect(line).to.equal(
      '{"cycle":1000,"growables":{"hidden":{"ids":[1,11,21,31],"multipliers":[0.1235,-2.5e-7,12350,null]},' +
        '"block3":{"family":"block-width","ids":[1],"multipliers":[1]},"x":{"ids":[],"multipliers":[]}}}',
    );
    expect(parseMultipliersLine(line, 1)).to.deep.equal(JSON.parse(line));
  });

  it('say what is wrong with a line that is not one, with its line number', () => {
    expect(parseMultipliersLine('{"cycle":1,', 7)).to.equal('7: expected a JSON object, found "{"cycle":1,"');
    expect(parseMultipliersLine('{"cycle":"1","growables":{}}', 2)).to.equal('2: expected {"cycle": number, "growables": {…}}');
    expect(parseMultipliersLine('{"cycle":1,"growables":{"h":{"ids":[0.5],"multipliers":[1]}}}', 3)).to.contain('3: growable "h": expected "ids" (integers)');
    expect(parseMultipliersLine('{"cycle":1,"growables":{"h":{"family":2,"ids":[],"multipliers":[]}}}', 4)).to.equal(
      '4: growable "h": expected "family" to be a string',
    );
  });
});
