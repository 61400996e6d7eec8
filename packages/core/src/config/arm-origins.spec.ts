import { expect } from 'chai';
import { ArmOrigins } from './arm-origins.js';
import type { Plain } from './plain-data.js';
import type { ExpandedArm } from './sweep.js';

const DEFAULTS = { policy: { type: 'threshold' }, model: { type: 'char-rnn' } };

/** Where each of `paths` of arm `fromArm` was written ('-' for nowhere), as dotted paths. */
function origins(data: Plain, fromArm: number, paths: string[], swept: ExpandedArm['swept'] = []): string[] {
  const arm: ExpandedArm = { override: {}, fromArm, swept };
  const found = new ArmOrigins(data, DEFAULTS, arm, data.arms !== undefined);
  return paths.map((p) => {
    const written = found.writtenAt(p.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)));
    return written ? written.at.join('.') : '-';
  });
}

describe('ArmOrigins: where each value of an arm was written', () => {
  it("finds a value in the arm's own options, else at the top level, else nowhere (a default)", () => {
    const data = { policy: { threshold: 0.1, reserve: 2 }, arms: [{ name: 'a' }, { name: 'b', policy: { reserve: 3 } }] };
    expect(origins(data, 1, ['policy.reserve', 'policy.threshold', 'policy.l1', 'policy.type'])).to.deep.equal([
      'arms.1.policy.reserve',
      'policy.threshold',
      '-',
      '-',
    ]);
    expect(origins(data, 0, ['policy.reserve'])).to.deep.equal(['policy.reserve']);
  });

  it('ranks a swept value above the arm, the arm above the top level', () => {
    const data = { policy: { threshold: 0.1 }, arms: [{ name: 'a', policy: { threshold: 0.2 } }] };
    const arm: ExpandedArm = { override: {}, fromArm: 0, swept: [{ path: ['policy', 'threshold'], value: 0.3, at: ['sweep', 'policy.threshold', 2] }] };
    const found = new ArmOrigins(data, DEFAULTS, arm, true);
    expect(found.writtenAt(['policy', 'threshold'])).to.deep.equal({ at: ['sweep', 'policy.threshold', 2], rank: 3 });
    const unswept = new ArmOrigins(data, DEFAULTS, { ...arm, swept: [] }, true);
    expect(unswept.writtenAt(['policy', 'threshold'])).to.deep.equal({ at: ['arms', 0, 'policy', 'threshold'], rank: 2 });
    expect(new ArmOrigins({ policy: { threshold: 0.1 } }, DEFAULTS, { ...arm, swept: [] }, false).writtenAt(['policy', 'threshold'])).to.deep.equal({
      at: ['policy', 'threshold'],
      rank: 1,
    });
  });

  it('drops what lies below a mapping that names another type, as merging does', () => {
    const data = {
      policy: { type: 'age-biased', order: 'oldest-first', threshold: 0.1 },
      arms: [
        { name: 'a', policy: { type: 'threshold' } },
        { name: 'b', policy: { type: 'age-biased', reserve: 2 } },
      ],
    };
    expect(origins(data, 0, ['policy.order', 'policy.threshold', 'policy.type'])).to.deep.equal(['-', '-', 'arms.0.policy.type']);
    expect(origins(data, 1, ['policy.order', 'policy.reserve'])).to.deep.equal(['policy.order', 'arms.1.policy.reserve']);
  });

  it('lets a value that is not a mapping replace a nested plugin or list whole', () => {
    const data = {
      policy: { init: { type: 'inherited', poolSize: 3 } },
      task: { type: 'schedule', phases: [{ until: 5 }, {}] },
      arms: [{ name: 'a', policy: { init: 'random' }, task: { phases: [{ untilFraction: 0.5 }, {}] } }],
    };
    expect(origins(data, 0, ['policy.init.poolSize', 'policy.init', 'task.phases.0.until', 'task.phases.0.untilFraction'])).to.deep.equal([
      '-',
      'arms.0.policy.init',
      '-',
      'arms.0.task.phases.0.untilFraction',
    ]);
  });

  it("merges a policies entry over the arm's policy: the entry's values, then the policy's", () => {
    const data = {
      policy: { threshold: 0.1 },
      policies: { blocks: { reserve: 2 } },
      arms: [{ name: 'a', policy: { l1: 0.01 }, policies: { blocks: { minMultiplier: 0.01 } } }],
    };
    expect(origins(data, 0, ['policies.blocks.threshold', 'policies.blocks.l1', 'policies.blocks.reserve', 'policies.blocks.minMultiplier'])).to.deep.equal([
      'policy.threshold',
      'arms.0.policy.l1',
      'policies.blocks.reserve',
      'arms.0.policies.blocks.minMultiplier',
    ]);
    expect(origins(data, 0, ['policies.blocks'])).to.deep.equal(['arms.0.policies.blocks']);
  });

  it('places a swept value of a policies entry, and a mapping the sweep made, at their sweep entries', () => {
    const swept = [
      { path: ['policies', 'blocks', 'threshold'], value: 0.2, at: ['sweep', 'policies.blocks.threshold', 1] },
      { path: ['model', 'layers', 'width'], value: 3, at: ['sweep', 'model.layers.width', 0] },
    ];
    expect(origins({ policies: { blocks: { reserve: 2 } } }, 0, ['policies.blocks.threshold', 'model.layers', 'cycles'], swept)).to.deep.equal([
      'sweep.policies.blocks.threshold.1',
      'sweep.model.layers.width.0',
      '-',
    ]);
  });
});
