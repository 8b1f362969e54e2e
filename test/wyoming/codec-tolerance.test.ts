import { describe, expect, it } from 'vitest';
import { TallyError } from '../../hal/base/errors.ts';
import { decodeAll, WyomingDecoder } from '../../src/voice/wyoming/decoder.ts';
import { encodeFrame } from '../../src/voice/wyoming/encoder.ts';

const b = (s: string) => Buffer.from(s, 'utf8');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TallyError);
    return (e as TallyError).code;
  }
  throw new Error('expected a TallyError');
}

describe('decoder tolerates what the reference reader tolerates', () => {
  it('no version and unknown header keys', () => {
    const [f] = decodeAll(b('{"type": "ping", "extra": 1}\n'));
    expect(f).toMatchObject({ type: 'ping', data: {}, payload: null });
    expect(f!.version).toBeUndefined();
  });
  it('CRLF line ending and leading whitespace', () => {
    expect(decodeAll(b('  \t{"type":"describe"}\r\n')).map((f) => f.type)).toEqual(['describe']);
  });
  it('inline data merged with the block, block keys win', () => {
    const [f] = decodeAll(b('{"type":"ping","data":{"text":"inline","a":1},"data_length":15}\n{"text": "blk"}'));
    expect(f!.data).toEqual({ text: 'blk', a: 1 });
  });
  it('missing, null, 0 and negative lengths mean no block', () => {
    for (const v of ['null', '0', '-5']) {
      const frames = decodeAll(b(`{"type":"a","data_length":${v},"payload_length":${v}}\n{"type":"b"}\n`));
      expect(frames.map((f) => f.type)).toEqual(['a', 'b']);
    }
  });
  it('unknown event types', () => {
    expect(decodeAll(b('{"type":"x-future"}\n'))[0]!.type).toBe('x-future');
  });
  it('a header of exactly the limit is accepted; one byte more is not', () => {
    const pad = (n: number) => `{"type":"ping","p":"${'x'.repeat(n - 22)}"}`;
    expect(pad(100).length).toBe(100);
    expect(decodeAll(b(pad(1000) + '\n'), { maxHeaderBytes: 1000 })).toHaveLength(1);
    expect(codeOf(() => decodeAll(b(pad(1001) + '\n'), { maxHeaderBytes: 1000 }))).toBe('WYOMING_HEADER_TOO_LONG');
  });
});

describe('decoder rejects with a code', () => {
  const cases: [string, string | Buffer, string][] = [
    ['empty line', '\n', 'WYOMING_BAD_JSON'],
    ['invalid JSON header', '{"type":\n', 'WYOMING_BAD_JSON'],
    ['non-UTF-8 header', Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), 'WYOMING_BAD_UTF8'],
    ['header not an object', '[1,2]\n', 'WYOMING_HEADER_NOT_OBJECT'],
    ['header null', 'null\n', 'WYOMING_HEADER_NOT_OBJECT'],
    ['no type', '{"data_length":0}\n', 'WYOMING_MISSING_TYPE'],
    ['type not a string', '{"type":5}\n', 'WYOMING_MISSING_TYPE'],
    ['non-numeric data_length', '{"type":"a","data_length":"10"}\n', 'WYOMING_BAD_LENGTH'],
    ['fractional payload_length', '{"type":"a","payload_length":1.5}\n', 'WYOMING_BAD_LENGTH'],
    ['data block not JSON', '{"type":"a","data_length":3}\nabc', 'WYOMING_BAD_JSON'],
    ['data block not an object', '{"type":"a","data_length":3}\n[1]', 'WYOMING_DATA_NOT_OBJECT'],
    ['inline data not an object', '{"type":"a","data":"x"}\n', 'WYOMING_DATA_NOT_OBJECT'],
    ['oversize data', `{"type":"a","data_length":${1024 * 1024 + 1}}\n`, 'WYOMING_DATA_TOO_LARGE'],
    ['oversize payload (16 MiB)', `{"type":"a","payload_length":${16 * 1024 * 1024}}\n`, 'WYOMING_PAYLOAD_TOO_LARGE'],
    ['EOF inside a payload', '{"type":"a","payload_length":10}\nabc', 'WYOMING_TRUNCATED'],
    ['EOF inside a header', '{"type":"a"', 'WYOMING_TRUNCATED'],
  ];
  for (const [name, input, code] of cases) {
    it(name, () => {
      expect(codeOf(() => decodeAll(typeof input === 'string' ? b(input) : input))).toBe(code);
    });
  }

  it('a header over 64 KiB without LF fails before the LF arrives (memory bounded)', () => {
    const d = new WyomingDecoder();
    d.push(b('{"type":"a","p":"'));
    const code = codeOf(() => {
      for (let i = 0; i < 100; i++) d.push(Buffer.alloc(1024, 0x61));
    });
    expect(code).toBe('WYOMING_HEADER_TOO_LONG');
    expect(d.bufferedBytes).toBe(0);
  });

  it('is dead after an error: later pushes fail too', () => {
    const d = new WyomingDecoder();
    expect(codeOf(() => d.push(b('\n')))).toBe('WYOMING_BAD_JSON');
    expect(codeOf(() => d.push(b('{"type":"ping"}\n')))).toBe('WYOMING_DECODER_FAILED');
  });
});

describe('encoder', () => {
  it('writes the reference form: key order, no empty data, payload length', () => {
    const out = encodeFrame({ type: 'audio-chunk', data: { rate: 16000, width: 2, channels: 1, timestamp: null }, payload: Buffer.from([1, 2]) });
    expect(out.toString('latin1')).toBe(
      '{"type": "audio-chunk", "version": "1.9.0", "data_length": 61, "payload_length": 2}\n' +
        '{"rate": 16000, "width": 2, "channels": 1, "timestamp": null}\x01\x02',
    );
    expect(encodeFrame({ type: 'played', data: {} }).toString()).toBe('{"type": "played", "version": "1.9.0"}\n');
  });
  it('round-trips escapes and non-ASCII', () => {
    const data = { text: 'a"b\\c\nd\u0001 é ☕ 𝄞', n: [1, { x: true }] };
    const [f] = decodeAll(encodeFrame({ type: 't', data }));
    expect(f!.data).toEqual(data);
  });
  it('refuses a frame without type', () => {
    expect(codeOf(() => encodeFrame({ type: '' }))).toBe('WYOMING_MISSING_TYPE');
  });
});
