import { readFileSync } from 'fs';
import { resolve } from 'path';
import { EDGES, describeEdgeRules, describeEdgeTypes } from '../src/domain';

const README = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('shows the lifecycle table exactly as EDGES defines it', () => {
    const block = /<!-- lifecycle-table:start -->\n([\s\S]*?)\n<!-- lifecycle-table:end -->/.exec(README);
    expect(block).not.toBeNull();
    const rows = EDGES.map((e) => `| ${e.id} | ${e.from} | ${e.to} | ${describeEdgeTypes(e)} | ${describeEdgeRules(e)} |`);
    expect(block![1]!.split('\n').slice(2)).toEqual(rows);
  });

  it('gives the two set-up-and-test commands', () => {
    expect(README).toMatch(/```sh\nnpm ci\nnpm test\n```/);
  });
});
