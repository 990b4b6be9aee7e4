// A raw DEFLATE (RFC 1951) decoder, synchronous and small: dynamic-Huffman blocks only, the only
// kind Zopfli writes for the module (stored and fixed-Huffman blocks throw).
//
// The wasm module travels inside the script as base64 text. Base64 of raw wasm gzips poorly
// (about 1.4 times the module's own gzip size), so the build deflates the module first and the
// script inflates it here before `initSync`: the shipped bytes stay close to the module's
// compressed size. `DecompressionStream` would do the same but only asynchronously, and the
// class must be usable on the line after the script tag. The input is the build's own output,
// checked by the build (scripts/build.mjs inflates it and compares), not data from the page.

/** Inflates `input` (raw DEFLATE, dynamic-Huffman blocks) into an array of exactly `size` bytes. */
export function inflate(input, size) {
  const corrupt = () => new Error('corrupt embedded module');
  const out = new Uint8Array(size);
  let at = 0; // next input byte
  let buffer = 0; // bits not yet consumed, least significant first
  let count = 0; // how many bits `buffer` holds
  let written = 0;

  const bits = (n) => {
    while (count < n) {
      buffer |= input[at++] << count;
      count += 8;
    }
    const value = buffer & ((1 << n) - 1);
    buffer >>>= n;
    count -= n;
    return value;
  };

  // A canonical Huffman code from its code lengths, as a lookup table indexed by the next
  // `max` input bits (least significant first): each entry is `symbol << 4 | length`. One
  // lookup per symbol instead of one step per bit: this runs on every page load.
  const code = (lengths) => {
    const counts = new Uint16Array(16);
    let max = 1;
    for (const length of lengths) {
      counts[length]++;
      if (length > max) max = length;
    }
    counts[0] = 0;
    const next = new Uint16Array(16);
    for (let length = 1, first = 0; length < 16; length++) {
      first = (first + counts[length - 1]) << 1;
      next[length] = first;
    }
    const table = new Uint32Array(1 << max);
    lengths.forEach((length, symbol) => {
      if (!length) return;
      // Huffman codes are stored most significant bit first: reverse it to index the table.
      let reversed = 0;
      for (let i = 0, c = next[length]++; i < length; i++, c >>= 1) reversed = (reversed << 1) | (c & 1);
      for (let i = reversed; i < table.length; i += 1 << length) table[i] = (symbol << 4) | length;
    });
    return { table, max };
  };

  const decode = ({ table, max }) => {
    while (count < max) {
      buffer |= (input[at++] ?? 0) << count;
      count += 8;
    }
    const entry = table[buffer & ((1 << max) - 1)];
    const length = entry & 15;
    if (!length) throw corrupt();
    buffer >>>= length;
    count -= length;
    return entry >> 4;
  };

  // Base values and extra bits of the length (257..285) and distance (0..29) codes.
  const lengthBase = [];
  const lengthExtra = [];
  for (let i = 0, base = 3; i < 28; i++) {
    lengthExtra[i] = i < 8 ? 0 : (i - 4) >> 2;
    lengthBase[i] = base;
    base += 1 << lengthExtra[i];
  }
  lengthBase[28] = 258;
  lengthExtra[28] = 0;
  const distanceBase = [];
  const distanceExtra = [];
  for (let i = 0, base = 1; i < 30; i++) {
    distanceExtra[i] = i < 4 ? 0 : (i - 2) >> 1;
    distanceBase[i] = base;
    base += 1 << distanceExtra[i];
  }

  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  // Only dynamic-Huffman blocks: the build's compressor (Zopfli) writes no other kind for the
  // module, and the build inflates what it embeds and compares (scripts/build.mjs).
  let last;
  do {
    last = bits(1);
    if (bits(2) !== 2) throw corrupt();
    const literalCount = bits(5) + 257;
    const distanceCount = bits(5) + 1;
    const codeLengthCount = bits(4) + 4;
    const codeLengths = new Array(19).fill(0);
    for (let i = 0; i < codeLengthCount; i++) codeLengths[order[i]] = bits(3);
    const codeLengthCode = code(codeLengths);
    const all = [];
    while (all.length < literalCount + distanceCount) {
      const symbol = decode(codeLengthCode);
      if (symbol < 16) all.push(symbol);
      else if (symbol === 16) all.push(...new Array(3 + bits(2)).fill(all[all.length - 1]));
      else all.push(...new Array(symbol === 17 ? 3 + bits(3) : 11 + bits(7)).fill(0));
    }
    const lengths = code(all.slice(0, literalCount));
    const distances = code(all.slice(literalCount));
    for (;;) {
      const symbol = decode(lengths);
      if (symbol < 256) {
        out[written++] = symbol;
      } else if (symbol === 256) {
        break;
      } else {
        const i = symbol - 257;
        const length = lengthBase[i] + bits(lengthExtra[i]);
        const d = decode(distances);
        const distance = distanceBase[d] + bits(distanceExtra[d]);
        for (let k = 0; k < length; k++, written++) out[written] = out[written - distance];
      }
    }
  } while (!last);
  return out;
}
