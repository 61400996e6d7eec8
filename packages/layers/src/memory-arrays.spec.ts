import { expect } from 'chai';
import { carvedBytes, MemoryArrays, memoryOf } from './memory-arrays.js';
import { createWasmMemory } from './wasm-kernel.js';

describe('MemoryArrays', () => {
  it('carves zero-filled arrays one after another on 16-byte boundaries, then plain arrays past its end', () => {
    const memory = createWasmMemory(1);
    new Uint8Array(memory.buffer).fill(0xff);
    const arrays = new MemoryArrays(memory, 40, 40 + carvedBytes([3, 2]) + 8);
    const a = arrays.allocate(3);
    const b = arrays.allocate(2);
    const past = arrays.allocate(2);
    expect([a.byteOffset, b.byteOffset]).to.deep.equal([48, 80]);
    expect([...a, ...b]).to.deep.equal([0, 0, 0, 0, 0]);
    expect([a.buffer, b.buffer]).to.have.members([memory.buffer, memory.buffer]);
    expect(past.buffer).to.not.equal(memory.buffer);
    expect([memoryOf(a), memoryOf(b), memoryOf(past)]).to.deep.equal([memory, memory, undefined]);
    expect(memoryOf(new Float64Array(3))).to.equal(undefined);
  });
});
