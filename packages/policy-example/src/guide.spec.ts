import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('docs/writing-a-policy.md', () => {
  it('shows every file of this example exactly as it is in the repository', () => {
    const root = new URL('../../../', import.meta.url);
    const guide = readFileSync(new URL('docs/writing-a-policy.md', root), 'utf8');
    const blocks = [...guide.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)];
    expect(blocks.map((b) => b[1])).to.include.members([
      'packages/policy-example/src/index.ts',
      'packages/policy-example/src/smallest-first-order.ts',
      'configs/variants/smallest-first.yaml',
    ]);
    for (const [, path, text] of blocks) expect(text, `${path} in the guide`).to.equal(readFileSync(new URL(path, root), 'utf8'));
  });
});
