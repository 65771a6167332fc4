import sharp from 'sharp';

/**
 * An invented photograph (for the benchmark corpus, the audit and the tests), encoded by sharp: smooth waves of colour with a little grain, so that
 * it compresses as a photo does (neither a flat colour nor pure noise). Same arguments, same bytes.
 */
export function inventedPhoto(width: number, height: number, format: 'jpeg' | 'png' = 'jpeg', seed = 1): Promise<Buffer> {
  // Kept for the process: the tests ask for the same photo several times.
  const key = `${width}x${height}.${format}.${seed}`;
  let photo = made.get(key);
  if (!photo) made.set(key, (photo = encode(width, height, format, seed)));
  // A copy each time: a test that damages its photo must not damage the next test's.
  return photo.then((bytes) => Buffer.from(bytes));
}

const made = new Map<string, Promise<Buffer>>();

function encode(width: number, height: number, format: 'jpeg' | 'png', seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0;
  const grain = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 24) / 255 - 0.5;
  };
  // The terms that depend on one coordinate only, computed once per column or row.
  const columns = Float64Array.from({ length: width }, (_, x) => 120 + 90 * Math.sin(6 * (x / width) + seed));
  const rows = Float64Array.from({ length: height }, (_, y) => 30 * Math.cos(11 * (y / height)));
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const i = (y * width + x) * 3;
      const noise = grain() * 18;
      pixels[i] = clamp(columns[x]! + rows[y]! + noise);
      pixels[i + 1] = clamp(110 + 70 * Math.sin(9 * v + 2 * u) + noise);
      pixels[i + 2] = clamp(100 + 80 * Math.cos(5 * u * v * 7 + seed) + noise);
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
