import { expect } from 'chai';
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveRun, REFRESH_MS } from './live-run.js';
import { RECENT_MS } from './progress.js';
import { twoArmRun } from './test-support.js';

describe('LiveRun', function () {
  this.timeout(60000);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-live-run-')));
  const root = { given: dir, real: dir };
  let pair: string;
  before(async () => {
    pair = await twoArmRun(dir, 'pair');
  });

  const rowsOf = (run: LiveRun) => run.seed('easy', 0)?.cycle?.length ?? 0;

  it('reads only the last cycles for the run list, every row once its curves are asked for, and forgets them when nobody looks', () => {
    const run = new LiveRun({ id: 'pair', root, folder: pair });
    const now = Date.now();
    run.refresh(now);
    expect(run.progress(now)).to.include({ seedsDone: 4, seedsTotal: 4, cyclesDone: 1200, complete: true });
    expect(rowsOf(run), 'no rows kept for the list').to.equal(0);
    run.refresh(now, true);
    expect(rowsOf(run), 'followed at once when asked, within REFRESH_MS of the list').to.equal(6);
    run.refresh(now + REFRESH_MS + 1);
    expect(rowsOf(run), 'the list does not drop rows being looked at').to.equal(6);
    const idle = now + 10 * 60_000;
    run.refresh(idle);
    expect(rowsOf(run), 'forgotten after minutes unasked').to.equal(0);
    expect(run.progress(idle)).to.include({ cyclesDone: 1200, complete: true });
  });

  it('counts a failed seed as ended and seeds with no folder here as not started (another shard’s)', () => {
    const folder = join(dir, 'shard');
    cpSync(pair, folder, { recursive: true });
    rmSync(join(folder, 'hard', 'seed-1'), { recursive: true });
    const result = join(folder, 'easy', 'seed-1', 'result.json');
    writeFileSync(result, JSON.stringify({ arm: 'easy', seed: 1, switches: [], cycles: 100, finished: false, error: 'out of memory' }));
    const run = new LiveRun({ id: 'shard', root, folder });
    run.refresh();
    const later = Date.now() + RECENT_MS + 1;
    const progress = run.progress(later);
    expect(progress).to.include({ seedsTotal: 4, seedsDone: 2, seedsFailed: 1, complete: false, inFlight: false });
    expect(progress.unfinished).to.deep.equal({ 'in flight': 0, stopped: 0, interrupted: 0, 'not started': 1 });
  });
});
