import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { LIFELINE_LOWEST_SHOWN, MAX_LIFELINE_PANELS } from '@diffstruct/report';

/** A `const NAME = value;` of the page's lifelines module (plain JS, served as is: it cannot import report). */
function pageConstant(name: string): number {
  const text = readFileSync(new URL('../public/lifelines.js', import.meta.url), 'utf8');
  const match = new RegExp(`^const ${name} = ([0-9.]+);$`, 'm').exec(text);
  if (!match) throw new Error(`public/lifelines.js has no "const ${name} = <number>;"`);
  return Number(match[1]);
}

describe("the page's lifelines", () => {
  it('draw on report’s scale and panel count: the page restates them, kept equal here', () => {
    expect(pageConstant('LOWEST_SHOWN')).to.equal(LIFELINE_LOWEST_SHOWN);
    expect(pageConstant('MAX_PANELS')).to.equal(MAX_LIFELINE_PANELS);
  });
});
