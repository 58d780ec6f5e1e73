// A seeded generator so fuzz failures reproduce: print the seed, rerun with it.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcXYZ019 \t:./-_()|#{}"\\\r\n>@$%\u00e9\u4e2d\u0000';

export function randomGarbage(rand: () => number, maxLen: number): string {
  const n = Math.floor(rand() * maxLen);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  }
  return s;
}

/** Deletes, duplicates, truncates and splices characters and lines of a real sample. */
export function mutate(rand: () => number, sample: string): string {
  let s = sample;
  const ops = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < ops; i++) {
    const pos = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0:
        s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rand() * 10));
        break;
      case 1:
        s = s.slice(0, pos) + randomGarbage(rand, 12) + s.slice(pos);
        break;
      case 2:
        s = s.slice(0, pos);
        break;
      case 3: {
        const lines = s.split('\n');
        const k = Math.floor(rand() * lines.length);
        lines.splice(k, 0, lines[Math.floor(rand() * lines.length)]);
        s = lines.join('\n');
        break;
      }
      case 4:
        s = s.slice(0, pos) + '9'.repeat(1 + Math.floor(rand() * 25)) + s.slice(pos);
        break;
      default: {
        const lines = s.split('\n');
        lines.splice(Math.floor(rand() * lines.length), 1);
        s = lines.join('\n');
      }
    }
  }
  return s;
}
