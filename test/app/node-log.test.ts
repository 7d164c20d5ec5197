import { describe, expect, it } from 'vitest';
import { LogTail, redactLogLine } from '../../src-main/app/node-log.js';

describe('node log tail', () => {
  it('redacts 64- and 128-hex secrets and mnemonic-like word runs', () => {
    const seed = 'ab'.repeat(32);
    const secret = 'cd'.repeat(64);
    const words = 'abandon ability able about above absent absorb abstract absurd abuse access accident';
    const line = redactLogLine(`seed=${seed} key=${secret} phrase: ${words} | epoch=42`);
    expect(line).not.toContain(seed);
    expect(line).not.toContain(secret);
    expect(line).not.toContain('absurd abuse');
    expect(line).toContain('[redacted 64-hex]');
    expect(line).toContain('[redacted 128-hex]');
    expect(line).toContain('[redacted words]');
    expect(line).toContain('epoch=42');
  });

  it('keeps short hex and ordinary sentences', () => {
    expect(redactLogLine('tx 5a407d608836abcd committed in epoch 7')).toBe('tx 5a407d608836abcd committed in epoch 7');
  });

  it('keeps only the most recent lines', () => {
    const tail = new LogTail(3);
    for (let i = 0; i < 10; i++) tail.push(`line ${i}`);
    expect(tail.recent()).toEqual(['line 7', 'line 8', 'line 9']);
    expect(tail.recent(1)).toEqual(['line 9']);
  });
});
