import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';

/** Core's folders and the folders each may import from (itself always allowed). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  contracts: ['arrays', 'random'],
  state: ['contracts'],
  arrays: ['contracts', 'state'],
  random: ['contracts'],
  growth: ['arrays', 'contracts', 'plugins', 'state'],
};

describe('core layering', () => {
  it('contracts import only types, and each lower folder only the folders it builds on', () => {
    const src = new URL('../src/', import.meta.url);
    const problems: string[] = [];
    for (const [folder, allowed] of Object.entries(ALLOWED)) {
      for (const file of readdirSync(new URL(`${folder}/`, src)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
        const text = readFileSync(new URL(`${folder}/${file}`, src), 'utf8');
        for (const [, typeOnly, target] of text.matchAll(/^import (type )?[^;]*? from '\.\.\/([a-z-]+)\//gm)) {
          if (!allowed.includes(target)) problems.push(`${folder}/${file} imports ${target}/`);
          if (folder === 'contracts' && !typeOnly) problems.push(`${folder}/${file} imports a value from ${target}/`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });
});
