import { expect } from 'chai';
import fc from 'fast-check';
import { Parameter } from './parameter.js';

describe('Parameter', () => {
  it('moves gradient and optimizer slots with its values: entry (r, c) keeps its triple', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.nat(10)), { maxLength: 20 }), (ops) => {
        const p = new Parameter('W', 3, 3);
        const memory = p.slot('memory');
        let next = 1;
        const stampAll = () => {
          for (let i = 0; i < p.length; i++) {
            if (p.value.data[i] !== 0) continue;
            p.value.data[i] = next;
            p.grad.data[i] = -next;
            memory.data[i] = 10 * next++;
          }
        };
        stampAll();
        for (const [rows, insert, pick] of ops) {
          const n = rows ? p.rows : p.cols;
          if (insert) rows ? p.insertRows(pick % (n + 1)) : p.insertColumns(pick % (n + 1));
          else if (n > 0) rows ? p.removeRows([pick % n]) : p.removeColumns([pick % n]);
          stampAll();
          for (const m of [p.grad, memory]) expect([m.rows, m.cols]).to.deep.equal([p.rows, p.cols]);
          for (let i = 0; i < p.length; i++) {
            expect(p.grad.data[i]).to.equal(-p.value.data[i]);
            expect(memory.data[i]).to.equal(10 * p.value.data[i]);
          }
        }
      }),
    );
  });

  it('creates a slot zero-filled, at the current shape, once', () => {
    const p = new Parameter('b', 4, 1);
    p.insertRows(4, 2);
    const s = p.slot('m');
    expect([s.rows, s.cols]).to.deep.equal([6, 1]);
    expect([...s.toArray()]).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(p.slot('m')).to.equal(s);
    expect(p.slotNames()).to.deep.equal(['m']);
  });

  it('takes its value, gradient, slots and any regrown array from its allocator', () => {
    const given: Float64Array[] = [];
    const allocator = {
      allocate: (length: number) => {
        const array = new Float64Array(length);
        given.push(array);
        return array;
      },
    };
    const p = new Parameter('W', 2, 3, 6, allocator);
    const slot = p.slot('m');
    expect(given.slice(0, 3)).to.have.ordered.members([p.value.data, p.grad.data, slot.data]);
    p.value.data.set([1, 2, 3, 4, 5, 6]);
    p.insertRows(2);
    expect(given).to.have.length(6);
    expect(given.slice(3)).to.include.members([p.value.data, p.grad.data, slot.data]);
    expect([...p.value.toArray()]).to.deep.equal([1, 2, 3, 4, 5, 6, 0, 0, 0]);
  });
});
