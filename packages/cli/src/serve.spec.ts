import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-serve-cli-'));

describe('diffstruct serve', function () {
  this.timeout(30000);

  it('--help says what it serves, its flags and their defaults', () => {
    const { code, stdout } = diffstruct('serve', '--help');
    expect(code).to.equal(0);
    expect(stdout)
      .to.contain('[dirs...]')
      .and.contain('default: runs')
      .and.contain('--port')
      .and.contain('8080')
      .and.contain('--host')
      .and.contain('127.0.0.1');
  });

  it('refuses a missing folder, a bad port and a taken port with exit 2 and a message', async () => {
    const missing = diffstruct('serve', join(dir, 'nowhere'), '--port', '0');
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal(`${join(dir, 'nowhere')}: no such folder (expected a folder of runs, or a run folder)\n`);
    const badPort = diffstruct('serve', dir, '--port', 'http');
    expect(badPort.code).to.equal(2);
    expect(badPort.stderr).to.contain('--port: expected a whole number from 0 to 65535, found "http"');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const busy = diffstruct('serve', dir, '--port', port);
      expect(busy.code).to.equal(2);
      expect(busy.stderr).to.equal(`port ${port} on 127.0.0.1 is taken (another serve?): choose another with --port, or --port 0 for a free one\n`);
    } finally {
      taken.close();
    }
  });

  it('prints the URL, warns when the runs are visible to the network, answers, and stops on SIGTERM with exit 0', async () => {
    const runs = join(dir, 'runs');
    mkdirSync(join(runs, 'one'), { recursive: true });
    writeFileSync(join(runs, 'one', 'config.yaml'), 'name: one\ncycles: 10\n');
    const child = spawn(process.execPath, [BIN, 'serve', runs, '--port', '0', '--host', '0.0.0.0']);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /at (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    expect(url).to.match(/^http:\/\/localhost:\d+\/$/);
    expect(stderr).to.match(/^warning: listening on 0\.0\.0\.0: anyone who can reach this machine on port \d+ can read these runs\n$/);
    const list = (await (await fetch(`${url}api/runs`)).json()) as { runs: { id: string }[] };
    expect(list.runs.map((r) => r.id)).to.deep.equal(['runs/one']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('does not warn on another loopback address (127.0.0.2); says when no run is there yet', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const child = spawn(process.execPath, [BIN, 'serve', empty, '--port', '0', '--host', '127.0.0.2']);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // 'close', not 'exit': stderr is read whole only once its pipe is drained.
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('http://127.0.0.2:') && resolve());
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited, 'SIGTERM on reading the URL stops it cleanly: its handlers come first').to.equal(0);
    expect(stderr, 'no network warning').to.equal(`no run folder (one with a config.yaml) under ${empty} yet: the page lists runs as they start\n`);
  });
});
