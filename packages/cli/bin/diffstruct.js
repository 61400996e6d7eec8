#!/usr/bin/env node
// A committed shim, so the bin link works before the first build sets file modes.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
