import { expect } from 'chai';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReadError, readFileCapped } from './read-capped.js';

describe('readFileCapped from a byte offset', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'diffstruct-read-capped-')), 'growing.csv');

  it('gives what was appended since the offset, and nothing at or past the end', () => {
    writeFileSync(file, 'a,b\n1,2\n');
    const first = readFileCapped(file, 64, 'a test file');
    appendFileSync(file, '3,4\n');
    expect(readFileCapped(file, 64, 'a test file', first.length).toString()).to.equal('3,4\n');
    expect(readFileCapped(file, 64, 'a test file', first.length + 4)).to.have.length(0);
    expect(readFileCapped(file, 64, 'a test file', 1000)).to.have.length(0);
  });

  it('counts the bytes before the offset against the cap: the whole file is what is capped', () => {
    writeFileSync(file, 'x'.repeat(60));
    expect(readFileCapped(file, 64, 'a test file', 58).toString()).to.equal('xx');
    appendFileSync(file, 'y'.repeat(10));
    expect(() => readFileCapped(file, 64, 'a test file', 58)).to.throw(FileReadError, `${file}: file over 64 bytes; a test file is at most 64 bytes`);
  });
});
