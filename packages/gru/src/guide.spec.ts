import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('docs/writing-a-model.md', () => {
  it('shows the gru package and its config exactly as they are in the repository', () => {
    const root = new URL('../../../', import.meta.url);
    const guide = readFileSync(new URL('docs/writing-a-model.md', root), 'utf8');
    const shown = [...guide.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)];
    expect(shown.map((b) => b[1])).to.have.members([
      'packages/gru/src/gru-options.ts',
      'packages/gru/src/gru-model.ts',
      'packages/gru/src/gru-contribution.ts',
      'packages/gru/src/index.ts',
      'packages/gru/src/gru-model.spec.ts',
      'configs/gru/hard.yaml',
    ]);
    for (const [, path, text] of shown) expect(text, `${path} in the guide`).to.equal(readFileSync(new URL(path, root), 'utf8'));
  });
});
