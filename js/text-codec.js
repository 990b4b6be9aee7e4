// The Encoding API for the npm build, where a page has none: Jest's jsdom environment has no
// TextDecoder or TextEncoder (jsdom does not implement them, and Jest does not pass Node's
// through), and wasm-bindgen's glue makes one of each as it loads. The build injects these in
// place of the two globals (esbuild's `inject`, for dist/npm only), so importing the package,
// and using it, works there as the reference does. Wherever the API exists (every browser,
// Node), it is the platform's own.

/** UTF-8 bytes to text, as `TextDecoder('utf-8', { ignoreBOM: true })` reads valid UTF-8 (the
 * module's texts are Rust strings: always valid). */
export class Utf8Decoder {
  decode(bytes = []) {
    let text = '';
    for (let i = 0; i < bytes.length;) {
      const lead = bytes[i++];
      const count = lead < 0x80 ? 0 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
      let point = count ? lead & (0x3f >> count) : lead;
      for (let k = 0; k < count; k++) point = (point << 6) | (bytes[i++] & 0x3f);
      text += String.fromCodePoint(point);
    }
    return text;
  }
}

// The first byte's marks of a character of 1, 2, 3 and 4 bytes.
const LEAD = [0, 0xc0, 0xe0, 0xf0];

/** Text to UTF-8 bytes, as `TextEncoder` writes them (a lone surrogate as U+FFFD). */
export class Utf8Encoder {
  encode(text = '') {
    const out = new Uint8Array(text.length * 3);
    return out.slice(0, this.encodeInto(text, out).written);
  }

  encodeInto(text, out) {
    let read = 0;
    let written = 0;
    while (read < text.length) {
      let point = text.codePointAt(read);
      const units = point > 0xffff ? 2 : 1;
      if (point >= 0xd800 && point <= 0xdfff) point = 0xfffd;
      const count = point < 0x80 ? 0 : point < 0x800 ? 1 : point < 0x10000 ? 2 : 3;
      if (written + count >= out.length) break;
      out[written++] = LEAD[count] | (point >> (6 * count));
      for (let k = count - 1; k >= 0; k--) out[written++] = 0x80 | ((point >> (6 * k)) & 0x3f);
      read += units;
    }
    return { read, written };
  }
}

export const TextDecoder = globalThis.TextDecoder ?? Utf8Decoder;
export const TextEncoder = globalThis.TextEncoder ?? Utf8Encoder;
