import { expect } from 'chai';
import { homedir } from 'node:os';
import { deletionProblem, runFolderFileClash } from './run-folder-layout.js';

// The CLI's specs show --force refusing real folders; the root is only ever asked about here, never handed to `run --force`.
describe('what --force may delete', () => {
  it('never the root, the home folder or the working directory, whatever they hold', () => {
    expect(deletionProblem('/')).to.equal('/: refusing to delete the root of the file system');
    expect(deletionProblem(homedir())).to.contain('refusing to delete the home folder');
    expect(deletionProblem('.')).to.contain('refusing to delete the working directory');
  });

  it('names the run-folder file an arm name would clash with, in any case and with its temporary names', () => {
    expect(runFolderFileClash('Summary.JSON')).to.equal('summary.json');
    expect(runFolderFileClash('final.svg.0123456789ab.tmp')).to.equal('final.svg');
    expect(runFolderFileClash('curves')).to.equal(undefined);
  });
});
