import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findRuns, isLoopback, openRoots, startDashboard } from '@diffstruct/dashboard';
import { nonNegativeInteger } from './arguments.js';

const DEFAULT_PORT = 8080;
const LOOPBACK = '127.0.0.1';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('a local web page of the runs under the folders, updating while they write (read-only; Ctrl-C stops it)')
    .argument('[dirs...]', 'folders of runs, or run folders (default: runs)')
    .option('--port <port>', 'the port (0: any free one)', nonNegativeInteger('--port', 65535), DEFAULT_PORT)
    .option('--host <address>', `the address to listen on (${LOOPBACK}: this machine only; 0.0.0.0: every network it is on)`, LOOPBACK)
    .action(async (dirs: string[], flags: { port: number; host: string }) => {
      const folders = (dirs.length ? dirs : ['runs']).map((d) => resolve(d));
      const dashboard = await startDashboard({ folders, port: flags.port, host: flags.host });
      if (!isLoopback(flags.host))
        process.stderr.write(
          `warning: listening on ${flags.host}: anyone who can reach this machine on port ${new URL(dashboard.url).port} can read these runs\n`,
        );
      // The handlers come before the line that says it serves: a signal sent on reading it must find them.
      const stopped = new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          dashboard.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(`serving ${folders.join(', ')} at ${dashboard.url} (Ctrl-C stops it)\n`);
      // A mistyped folder serves an empty list: say so, rather than leave the user to wonder.
      if (!findRuns(openRoots(folders)).length)
        process.stderr.write(`no run folder (one with a config.yaml) under ${folders.join(', ')} yet: the page lists runs as they start\n`);
      await stopped;
    });
}
