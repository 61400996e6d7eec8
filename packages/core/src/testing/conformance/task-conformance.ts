import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import {
  type ExampleRequest,
  HELD_OUT_SPLITS,
  type HeldOutSplit,
  heldOutRequest,
  type SequenceExample,
  type TableExample,
  type Task,
  type TaskShape,
} from '../../contracts/task.js';
import { RandomStream } from '../../random/random-stream.js';
import { decodeState, encodeState } from '../../state/state-encoding.js';

export interface TaskConformanceOptions {
  /** The example size to draw (default: 41 symbols for a sequence task, 8 rows for a table task). */
  readonly request?: ExampleRequest;
  /** Cycles to draw examples for. */
  readonly cycles?: number;
}

/** The examples `task` gives for cycles from..to-1, each copied (the task refills one buffer). */
function draw<E>(task: Task<E>, request: ExampleRequest, from: number, to: number): E[] {
  const example = task.createExample(request);
  const drawn: E[] = [];
  for (let cycle = from; cycle < to; cycle++) {
    task.next(example, cycle);
    drawn.push(structuredClone(example));
  }
  return drawn;
}

function checkExample(shape: TaskShape, request: ExampleRequest, example: unknown, cycle: number): void {
  const at = `cycle ${cycle}`;
  if (shape.kind === 'sequence') {
    const { symbols } = example as SequenceExample;
    if (request.length !== undefined) strictEqual(symbols.length, request.length * (request.sequences ?? 1), `${at}: the requested length (times sequences)`);
    for (const s of symbols) ok(Number.isInteger(s) && s >= 0 && s < shape.inputSize, `${at}: symbol ${s} of ${shape.inputSize}`);
    return;
  }
  const rows = example as TableExample;
  if (request.batchSize !== undefined) strictEqual(rows.batchSize, request.batchSize, `${at}: the requested rows`);
  strictEqual(rows.inputs.length, rows.batchSize * shape.inputSize, `${at}: inputSize features per row`);
  for (const x of rows.inputs) ok(Number.isFinite(x), `${at}: finite features`);
  if (shape.targets === 'values') {
    strictEqual(rows.targets.length, rows.batchSize * shape.outputSize, `${at}: outputSize targets per row`);
    for (const t of rows.targets) ok(Number.isFinite(t), `${at}: finite targets`);
  } else {
    strictEqual(rows.labels.length, rows.batchSize, `${at}: one label per row`);
    for (const label of rows.labels) ok(Number.isInteger(label) && label >= 0 && label < shape.outputSize, `${at}: label ${label} of ${shape.outputSize}`);
  }
}

/**
 * The contract every task plugin keeps; call it in the plugin's spec:
 * `taskConformance('my-task', (random) => new MyTask(options, random))`, where `random` is the
 * data stream the task must draw every example from. Uses mocha's describe/it.
 */
export function taskConformance<E>(name: string, make: (random: RandomStream) => Task<E>, options: TaskConformanceOptions = {}): void {
  const cycles = options.cycles ?? 200;
  const requestOf = (shape: TaskShape): ExampleRequest => options.request ?? (shape.kind === 'table' ? { batchSize: 8 } : { length: 41 });

  describe(`${name}: task conformance`, () => {
    it('describes its shape: a kind, input and output sizes, as many names as outputs', () => {
      const { shape } = make(new RandomStream(1, 'data'));
      ok(shape.kind === 'sequence' || shape.kind === 'table', `kind ${String(shape.kind)}`);
      for (const size of [shape.inputSize, shape.outputSize]) ok(Number.isInteger(size) && size >= 1, `size ${size}`);
      if (shape.vocabulary) strictEqual(shape.vocabulary.length, shape.outputSize, 'one vocabulary name per output');
      if (shape.classes) strictEqual(shape.classes.length, shape.outputSize, 'one class name per output');
    });

    it('fills examples of the requested size with valid values, and names a phase and a floor that make sense', () => {
      const task = make(new RandomStream(2, 'data'));
      const request = requestOf(task.shape);
      draw(task, request, 0, cycles).forEach((example, cycle) => checkExample(task.shape, request, example, cycle));
      for (const cycle of [0, cycles - 1]) {
        ok(task.phase(cycle).length > 0, `a phase name at cycle ${cycle}`);
        const floor = task.entropyFloor(request, cycle);
        ok(floor === undefined || (Number.isFinite(floor) && floor >= 0), `entropy floor ${floor}`);
      }
    });

    it('gives the same examples for the same stream, other examples for another', () => {
      const request = requestOf(make(new RandomStream(3, 'data')).shape);
      const first = draw(make(new RandomStream(3, 'data')), request, 0, cycles);
      deepStrictEqual(draw(make(new RandomStream(3, 'data')), request, 0, cycles), first);
      ok(JSON.stringify(draw(make(new RandomStream(4, 'data')), request, 0, cycles)) !== JSON.stringify(first), 'the examples depend on the stream');
    });

    it('continues exactly from its saved state and its stream’s, as a resumed run does', () => {
      const request = requestOf(make(new RandomStream(5, 'data')).shape);
      const straight = draw(make(new RandomStream(5, 'data')), request, 0, cycles);
      const half = Math.floor(cycles / 2);
      const random = new RandomStream(5, 'data');
      const before = make(random);
      const first = draw(before, request, 0, half);
      const state = encodeState(before.saveState());
      // A resumed run builds the task afresh, then restores the stream, then the task.
      const resumedRandom = new RandomStream(6, 'another seed');
      const after = make(resumedRandom);
      resumedRandom.setState(random.getState());
      after.loadState(decodeState(state));
      deepStrictEqual([...first, ...draw(after, request, half, cycles)], straight);
    });

    const probe = make(new RandomStream(7, 'data'));
    const splits = HELD_OUT_SPLITS.filter((split) => (probe.heldOutSize?.(split, requestOf(probe.shape)) ?? 0) > 0);
    if (splits.length) heldOutConformance(make, requestOf(probe.shape), splits, cycles);
  });
}

/** A task with held-out splits: sizes that hold still, the same examples whatever the run's stream, and training draws they leave alone. */
function heldOutConformance<E>(make: (random: RandomStream) => Task<E>, training: ExampleRequest, splits: readonly HeldOutSplit[], cycles: number): void {
  const request = heldOutRequest(training);
  /** The first and the last examples of each split, each copied; a table's last batch is as big as the rows left. */
  const heldOut = (task: Task<E>): E[] =>
    splits.flatMap((split) => {
      const size = task.heldOutSize!(split, request);
      const rows = request.batchSize;
      const firsts = rows === undefined ? [0, size - 1] : [0, Math.max(0, size - rows)];
      return firsts.map((first) => {
        const example = task.createExample(rows === undefined ? request : { ...request, batchSize: Math.min(rows, size - first) });
        task.fillHeldOut!(split, example, first);
        return structuredClone(example);
      });
    });

  it('has held-out splits of whole examples, the same on every call and for every run seed, with valid values', () => {
    const task = make(new RandomStream(8, 'data'));
    ok(typeof task.fillHeldOut === 'function', 'a task with heldOutSize fills held-out examples');
    for (const split of splits) {
      const size = task.heldOutSize!(split, request);
      ok(Number.isInteger(size) && size > 0, `${split}: ${size} examples`);
      strictEqual(task.heldOutSize!(split, request), size, `${split}: the same size when asked again`);
    }
    const first = heldOut(task);
    first.forEach((example, i) => checkExample(task.shape, { ...request, batchSize: undefined }, example, i));
    deepStrictEqual(heldOut(task), first, 'the same examples on a second call');
    deepStrictEqual(heldOut(make(new RandomStream(9, 'another seed'))), first, 'the same examples for another run seed');
  });

  it('leaves training draws as they were: held-out calls draw from no stream', () => {
    const straight = draw(make(new RandomStream(10, 'data')), training, 0, cycles);
    const task = make(new RandomStream(10, 'data'));
    const example = task.createExample(training);
    const drawn: E[] = [];
    for (let cycle = 0; cycle < cycles; cycle++) {
      if (cycle % 7 === 0) heldOut(task);
      task.next(example, cycle);
      drawn.push(structuredClone(example));
    }
    deepStrictEqual(drawn, straight);
  });
}
