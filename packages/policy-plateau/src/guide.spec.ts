import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('docs/writing-a-policy.md, second example', () => {
  it('shows the plateau policy and its config exactly as they are in the repository', () => {
    const root = new URL('../../../', import.meta.url);
    const guide = readFileSync(new URL('docs/writing-a-policy.md', root), 'utf8');
    const blocks = [...guide.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)];
    const shown = blocks.filter((b) => b[1].includes('plateau'));
    expect(shown.map((b) => b[1])).to.have.members([
      'packages/policy-plateau/src/plateau-options.ts',
      'packages/policy-plateau/src/plateau-policy.ts',
      'packages/policy-plateau/src/index.ts',
      'configs/variants/plateau-hard.yaml',
    ]);
    for (const [, path, text] of shown) expect(text, `${path} in the guide`).to.equal(readFileSync(new URL(path, root), 'utf8'));
  });
});
