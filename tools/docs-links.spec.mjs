// The tests of docs-links.mjs: the repository's own docs and citations, and the checker on fixtures.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { anchorsOf, checkDocs, githubSlug, METHOD, ROOT } from './docs-links.mjs';

const report = (list) => `\n${list.join('\n')}\n`;

describe('docs links and citations', () => {
  let problems;
  before(() => {
    problems = checkDocs(ROOT);
  });

  it(`(a) every ${METHOD}#anchor (or docs/<file>.md#anchor) cited anywhere is a heading or <a id> there`, () => {
    expect(problems.anchors.length, report(problems.anchors)).to.equal(0);
  });

  it('(b) every relative link of the markdown files reaches an existing file or folder, and its #anchor exists there', () => {
    expect(problems.links.length, report(problems.links)).to.equal(0);
  });

  it('(c) a link named `identifier` points to a source file that contains the identifier', () => {
    expect(problems.identifiers.length, report(problems.identifiers)).to.equal(0);
  });

  it('(d) nothing cites the design documents that live outside the repository', () => {
    expect(problems.legacy.length, report(problems.legacy)).to.equal(0);
  });

  it(`${METHOD} has the anchors that code comments are told to cite`, () => {
    const anchors = anchorsOf(readFileSync(join(ROOT, METHOD), 'utf8'));
    for (const a of [
      'forward-pass',
      'backpropagation-through-time',
      'l1-penalty',
      'gradient-clipping',
      'adagrad',
      'multiplier-floor',
      'smooth-loss',
      'growth-policy',
      'tasks',
      'entropy-floors',
      'defaults',
      'what-the-paper-reports',
    ]) {
      expect([...anchors], a).to.include(a);
    }
  });
});

describe('the docs link checker', () => {
  let root;
  const write = (path, text) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'diffstruct-docs-links-'));
    write('docs/method.md', '# The method\n\n## Forward pass\n\n## Tasks\n\n## Tasks\n\n<a id="by-hand"></a>\n\n```sh\n# Not a heading\n```\n');
    write(
      'docs/other.md',
      [
        '# Other',
        'Fine: [tasks](method.md#tasks), [again](method.md#tasks-1), [by hand](method.md#by-hand), [here](#other), [folder](../src/).',
        'Broken: [gone](method.md#not-a-heading), [missing](missing.md), [bad anchor](other.md#nowhere), [outside](../../elsewhere.md).',
        '[`forward`](../src/kernel.ts) and [`Kernel.forward`](../src/kernel.ts) are there; [`backward`](../src/kernel.ts) is not;',
        '[`kernel.ts`](../src/kernel.ts) names the file.',
        '`[in code](nowhere.md)` and',
        '```md',
        '[in a block](nowhere.md)',
        '```',
      ].join('\n'),
    );
    write('README.md', '[docs](docs/) [method](docs/method.md#forward-pass) [nope](doc/)\n');
    write(
      'src/kernel.ts',
      '// see docs/method.md#forward-pass and docs/method.md#gradients\n' +
        '// docs/other.md#other, docs/other.md#elsewhere, docs/gone.md#x\n' +
        'export class Kernel { forward() {} }\n',
    );
    // Built from lower case, so that this file does not itself cite them.
    write('src/old.ts', `// the paper (${'spec'.toUpperCase()} §1), see ${'design'.toUpperCase()}.md; the spec of a design: fine\n`);
    write('node_modules/x/index.js', '// docs/method.md#ignored\n');
    write('dist/y.js', '// docs/method.md#ignored\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds broken anchors, links and identifiers, naming file:line and what is missing', () => {
    const p = checkDocs(root);
    expect(p.anchors).to.deep.equal([
      'docs/other.md:3: cites docs/method.md#not-a-heading, but docs/method.md has no heading or <a id> with that anchor',
      'src/kernel.ts:1: cites docs/method.md#gradients, but docs/method.md has no heading or <a id> with that anchor',
      'src/kernel.ts:2: cites docs/other.md#elsewhere, but docs/other.md has no heading or <a id> with that anchor',
      'src/kernel.ts:2: cites docs/gone.md#x, but docs/gone.md does not exist',
    ]);
    expect(p.links).to.deep.equal([
      'README.md:1: link to doc/: no such file or folder (doc)',
      'docs/other.md:3: link to missing.md: no such file or folder (docs/missing.md)',
      'docs/other.md:3: link to other.md#nowhere: docs/other.md has no heading or <a id> with the anchor #nowhere',
      'docs/other.md:3: link to ../../elsewhere.md leaves the repository',
    ]);
    expect(p.identifiers).to.deep.equal(['docs/other.md:4: link `backward` → src/kernel.ts, which does not contain backward']);
    expect(p.legacy).to.have.length(2);
    expect(p.legacy.map((l) => l.toLowerCase().split(',')[0])).to.deep.equal(['src/old.ts:1: cites "spec §"', 'src/old.ts:1: cites "design.md"']);
  });

  it('reports a cited method.md that is missing', () => {
    rmSync(join(root, 'docs/method.md'));
    expect(checkDocs(root).anchors[0]).to.equal('README.md:1: cites docs/method.md#forward-pass, but docs/method.md does not exist');
  });

  it('makes anchors the way GitHub does', () => {
    expect(githubSlug('What the paper reports')).to.equal('what-the-paper-reports');
    expect(githubSlug('A policy per growable family: `policies`')).to.equal('a-policy-per-growable-family-policies');
    expect(githubSlug('Easy → hard → easy: do the networks shrink back?')).to.equal('easy--hard--easy-do-the-networks-shrink-back');
    expect(githubSlug('1. What a policy is')).to.equal('1-what-a-policy-is');
    expect(githubSlug('[Linked](x.md) and *emphasised* heading_name')).to.equal('linked-and-emphasised-heading_name');
  });
});
