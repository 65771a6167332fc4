import { crc32, deflateSync } from 'node:zlib';

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A plain-coloured RGB PNG of `width` × `height`, encoded with Node's zlib; `padTo` adds a tEXt
 * chunk so that the file has exactly that many bytes (two images of other sizes, one length).
 */
export function plainPng(width: number, height: number, rgb: [number, number, number], padTo?: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels)];
  const end = chunk('IEND', Buffer.alloc(0));
  const length = parts.reduce((sum, part) => sum + part.length, 0) + end.length;
  if (padTo !== undefined) {
    // A tEXt chunk costs 12 bytes besides its text, « Comment\0 » and the padding.
    const text = padTo - length - 12 - 8;
    if (text < 0) throw new Error(`PNG de ${length} octets : plus de ${padTo}`);
    parts.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(text, 0x20)])));
  }
  return Buffer.concat([...parts, end]);
}
