import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import { loadExperiment, runInputsJson, runInputsOf } from '@diffstruct/core/host';
import { createContainer } from './container.js';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

type FsFunctions = Record<string, (...args: unknown[]) => unknown>;

/** Replaces `fs[name]` (also for code that imported it by name) until the returned function is called. */
function hook(name: string, wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): () => void {
  const functions = fs as unknown as FsFunctions;
  const original = functions[name];
  functions[name] = wrap(original);
  syncBuiltinESMExports();
  return () => {
    functions[name] = original;
    syncBuiltinESMExports();
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the inputs a run records', function () {
  this.timeout(30000);
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-inputs-'));
  const table = join(dir, 'table.csv');
  const original = ['a,b,label', '0,0,x', '0,1,y', '1,0,y', '1,1,x', ''].join('\n');
  const configFile = join(dir, 'table.yaml');
  writeFileSync(
    configFile,
    ['name: table', 'seeds: 1', 'cycles: 10', 'task: { type: csv, file: table.csv }', 'model: { type: feedforward, batchSize: 4 }', ''].join('\n'),
  );

  /** Runs `action` while `table` is rewritten (or removed) as soon as the first reader of it closes it. */
  async function changedAfterFirstRead<T>(change: () => void, action: () => Promise<T>): Promise<T> {
    const opened = new Set<unknown>();
    let changed = false;
    const unhookOpen = hook('openSync', (open) => (...args) => {
      const fd = open(...args);
      if (args[0] === table) opened.add(fd);
      return fd;
    });
    const unhookClose = hook('closeSync', (close) => (...args) => {
      close(...args);
      if (!changed && opened.has(args[0])) {
        changed = true;
        change();
      }
    });
    try {
      return await action();
    } finally {
      unhookOpen();
      unhookClose();
    }
  }

  it('hash the bytes the task read, even when the file changes right after', async () => {
    writeFileSync(table, original);
    const loaded = await changedAfterFirstRead(
      () => writeFileSync(table, original.replace('1,1,x', '1,1,y')),
      () => loadExperiment(configFile, createContainer()),
    );
    expect(loaded.dataFiles).to.deep.equal({ [table]: sha256(original) });
  });

  it('read each data file once: one removed right after the task read it is no internal error', async () => {
    writeFileSync(table, original);
    const loaded = await changedAfterFirstRead(
      () => rmSync(table),
      () => loadExperiment(configFile, createContainer()),
    );
    expect(loaded.dataFiles).to.deep.equal({ [table]: sha256(original) });
  });

  it('a shard whose inputs.json appears between its own check and write is compared, not overwritten', async () => {
    const hard = config(['name: race', 'seeds: 2', 'cycles: 10', 'task: hard', ''].join('\n'));
    const out = join(dir, 'race');
    const inputs = join(out, 'inputs.json');
    const data = '/data/table.csv';
    // What a shard started on other data writes at the last moment before this one writes.
    const theirs = runInputsJson(runInputsOf(hard, { [data]: 'a'.repeat(64) }));
    let written = false;
    const writeTheirs = () => {
      if (!written) writeFileSync(inputs, theirs);
      written = true;
    };
    const unhookExists = hook('existsSync', (exists) => (...args) => {
      const found = exists(...args);
      if (args[0] === inputs) writeTheirs();
      return found;
    });
    const unhookLink = hook('linkSync', (link) => (...args) => {
      if (args[1] === inputs) writeTheirs();
      return link(...args);
    });
    const run = runExperiment(hard, { out, workers: 1, resolveFrom: dir, dataFiles: { [data]: 'b'.repeat(64) }, shard: { index: 2, count: 2 } });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    unhookExists();
    unhookLink();
    expect(error, 'refused').to.be.instanceOf(DiffstructError);
    expect((error as Error).message).to.contain(`${data}: its contents changed`);
    expect(readFileSync(inputs, 'utf8'), 'the first shard’s record is kept').to.equal(theirs);
  });
});
