/**
 * Bytes to text and back, as the programs that read the files do: Python reads a source file as
 * UTF-8 unless a PEP 263 declaration (`# -*- coding: latin-1 -*-` on line 1 or 2) or a UTF-8 BOM
 * says otherwise; pip reads requirements files by their BOM (UTF-8, UTF-16, UTF-32). What cannot
 * be decoded that way is read as Latin-1, byte for byte, so nothing is lost and the same bytes
 * are written back.
 *
 * `encodeText` is the way back, for fixes: the same encoding, the same BOM. It returns undefined
 * when the text holds a character the encoding cannot hold (a fix must then not be written).
 */
import { isUtf8 } from 'node:buffer';

/** How a file's bytes were decoded (enough to encode an edited text the same way). */
export interface TextEncodingInfo {
  /** Canonical name: utf-8, latin-1, ascii, utf-16le, utf-16be, utf-32le, utf-32be, or a WHATWG label (windows-1252, shift_jis...). */
  encoding: string;
  /** The file starts with a byte order mark (kept when written back). */
  bom: boolean;
  /** Where the encoding came from. */
  source: 'default' | 'bom' | 'declaration' | 'fallback';
  /** A PEP 263 declaration that names an encoding this tool does not know (decoded as UTF-8 or Latin-1 then). */
  unknownDeclaration?: string;
}

export interface DecodedText extends TextEncodingInfo {
  text: string;
}

/** PEP 263 (the regular expression of the Python reference, on a comment line). */
const CODING_RE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line that lets the declaration be on line 2: blank or a comment only. */
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#|$)/;

const BOMS: { bytes: number[]; encoding: string }[] = [
  // UTF-32 first: its little-endian BOM starts with UTF-16's
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function bomOf(buf: Uint8Array): { encoding: string; length: number } | undefined {
  for (const b of BOMS) if (buf.length >= b.bytes.length && b.bytes.every((x, i) => buf[i] === x)) return { encoding: b.encoding, length: b.bytes.length };
  return undefined;
}

/**
 * The encoding a PEP 263 name stands for, in this module's names; undefined when unknown.
 * Python's own spellings are accepted (case, `-`/`_`, and the tokenizer's `utf-8-*`/`latin-1-*`
 * prefixes, as in Emacs' `latin-1-unix`).
 */
export function normalizeEncodingName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n.startsWith('utf-8-')) return 'utf-8';
  if (['latin-1', 'iso-8859-1', 'iso-latin-1'].some((p) => n === p || n.startsWith(p + '-'))) return 'latin-1';
  const k = n.replace(/[-\s.]/g, '');
  const alias = ALIASES[k];
  if (alias) return alias;
  const iso = /^iso8859(\d{1,2})$/.exec(k) ?? /^iso(\d{1,2})$/.exec(k);
  if (iso && supported(`iso-8859-${iso[1]}`)) return `iso-8859-${iso[1]}`;
  const cp = /^(?:cp|windows)(125\d)$/.exec(k);
  if (cp) return `windows-${cp[1]}`;
  return undefined;
}

const ALIASES: Record<string, string> = {
  utf8: 'utf-8', u8: 'utf-8', utf: 'utf-8', cp65001: 'utf-8', utf8sig: 'utf-8',
  latin1: 'latin-1', latin: 'latin-1', l1: 'latin-1', iso88591: 'latin-1', '8859': 'latin-1', cp819: 'latin-1', isoir100: 'latin-1', csisolatin1: 'latin-1',
  ascii: 'ascii', usascii: 'ascii', '646': 'ascii', us: 'ascii', ansix34: 'ascii',
  latin2: 'iso-8859-2', l2: 'iso-8859-2', latin3: 'iso-8859-3', latin4: 'iso-8859-4', cyrillic: 'iso-8859-5', arabic: 'iso-8859-6', greek: 'iso-8859-7', hebrew: 'iso-8859-8',
  latin5: 'iso-8859-9', latin6: 'iso-8859-10', latin7: 'iso-8859-13', latin8: 'iso-8859-14', latin9: 'iso-8859-15', l9: 'iso-8859-15', latin10: 'iso-8859-16',
  koi8r: 'koi8-r', koi8u: 'koi8-u', macroman: 'macintosh', macintosh: 'macintosh', cp866: 'ibm866', ibm866: 'ibm866', cp874: 'windows-874',
  shiftjis: 'shift_jis', sjis: 'shift_jis', cp932: 'shift_jis', ms932: 'shift_jis', mskanji: 'shift_jis', eucjp: 'euc-jp', iso2022jp: 'iso-2022-jp',
  gbk: 'gbk', cp936: 'gbk', gb2312: 'gbk', gb18030: 'gb18030', big5: 'big5', big5hkscs: 'big5', cp950: 'big5', euckr: 'euc-kr', cp949: 'euc-kr',
};

const supportCache = new Map<string, boolean>();
function supported(label: string): boolean {
  let s = supportCache.get(label);
  if (s === undefined) {
    try {
      new TextDecoder(label);
      s = true;
    } catch {
      s = false;
    }
    supportCache.set(label, s);
  }
  return s;
}

/** The PEP 263 declaration of a Python file (first or second line), if any. */
export function codingDeclaration(buf: Uint8Array): string | undefined {
  // the first two lines, read as Latin-1 (a declaration is ASCII)
  const head = latin1Decode(buf.subarray(0, Math.min(buf.length, 1024)));
  const lines = head.split(/\r\n|\r|\n/, 2);
  const m1 = CODING_RE.exec(lines[0] ?? '');
  if (m1) return m1[1];
  if (lines.length > 1 && BLANK_OR_COMMENT.test(lines[0])) return CODING_RE.exec(lines[1])?.[1];
  return undefined;
}

/**
 * Byte-for-byte Latin-1 (not the WHATWG `latin1` label, which is windows-1252): Node's Buffer
 * `latin1` maps each byte to the code point of the same value.
 */
function latin1Decode(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
}

function strictDecode(label: string, buf: Uint8Array): string | undefined {
  // UTF-8, the common case: validated and decoded natively (no decoder object per file)
  if (label === 'utf-8') return isUtf8(buf) ? Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8') : undefined;
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a file's bytes. `python`: honour PEP 263 declarations. Without a BOM or declaration:
 * UTF-8, else (bytes that are not UTF-8) Latin-1 byte for byte.
 */
export function decodeBytes(buf: Uint8Array, opts: { python?: boolean } = {}): DecodedText {
  const bom = bomOf(buf);
  if (bom) {
    const body = buf.subarray(bom.length);
    const text = decodeAs(bom.encoding, body);
    if (text !== undefined) return { text, encoding: bom.encoding, bom: true, source: 'bom' };
  }
  let unknownDeclaration: string | undefined;
  if (opts.python && !bom) {
    const declared = codingDeclaration(buf);
    if (declared !== undefined) {
      const enc = normalizeEncodingName(declared);
      if (enc && (enc === 'latin-1' || enc === 'ascii' || enc === 'utf-8' || supported(enc))) {
        const text = decodeAs(enc, buf);
        if (text !== undefined) return { text, encoding: enc, bom: false, source: 'declaration' };
      } else unknownDeclaration = declared;
    }
  }
  const body = bom?.encoding === 'utf-8' ? buf.subarray(bom.length) : buf;
  const utf8 = strictDecode('utf-8', body);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', bom: bom?.encoding === 'utf-8', source: 'default', unknownDeclaration };
  return { text: latin1Decode(buf), encoding: 'latin-1', bom: false, source: 'fallback', unknownDeclaration };
}

function decodeAs(encoding: string, buf: Uint8Array): string | undefined {
  if (encoding === 'latin-1') return latin1Decode(buf);
  // ASCII as Python reads it fails on bytes above 127; read leniently (Latin-1), written back strictly
  if (encoding === 'ascii') return latin1Decode(buf);
  if (encoding.startsWith('utf-32')) return utf32Decode(buf, encoding === 'utf-32le');
  const chars = encoding === 'utf-8' || encoding.startsWith('utf-16') ? undefined : singleByteTableChars(encoding);
  if (chars) {
    let out = '';
    for (let i = 0; i < buf.length; i++) out += chars[buf[i]];
    return out;
  }
  return strictDecode(encoding, buf) ?? (encoding === 'utf-8' ? undefined : new TextDecoder(encoding, { ignoreBOM: true }).decode(buf));
}

function utf32Decode(buf: Uint8Array, le: boolean): string | undefined {
  if (buf.length % 4 !== 0) return undefined;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let out = '';
  for (let i = 0; i < buf.length; i += 4) {
    const cp = dv.getUint32(i, le);
    if (cp > 0x10ffff) return undefined;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/**
 * windows-1252 (cp1252) above 0x7f where it differs from Latin-1. Built here: Node 20's
 * TextDecoder('windows-1252') drops the bytes 0x80-0x9f. Unmapped bytes (0x81, 0x8d, 0x8f,
 * 0x90, 0x9d) read as the C1 control of the same number, as the WHATWG decoder does.
 */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** The characters of the 256 bytes of a single-byte encoding (U+FFFD: unmapped), or undefined for multi-byte ones. */
const singleByteChars = new Map<string, string | null>();
function singleByteTableChars(encoding: string): string | undefined {
  let t = singleByteChars.get(encoding);
  if (t === undefined) {
    t = null;
    if (encoding === 'windows-1252') {
      t = '';
      for (let b = 0; b < 256; b++) t += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_80_9F[b - 0x80] : b);
    } else if (supported(encoding)) {
      const all = new Uint8Array(256);
      for (let b = 0; b < 256; b++) all[b] = b;
      const s = new TextDecoder(encoding).decode(all);
      // one character per byte, ASCII kept: a single-byte encoding
      if (s.length === 256 && s.slice(0, 128) === String.fromCharCode(...all.subarray(0, 128))) t = s;
    }
    singleByteChars.set(encoding, t);
  }
  return t ?? undefined;
}

/** Character -> byte for a single-byte encoding. */
const singleByteTables = new Map<string, Map<number, number> | null>();
function singleByteTable(encoding: string): Map<number, number> | undefined {
  let t = singleByteTables.get(encoding);
  if (t === undefined) {
    const chars = singleByteTableChars(encoding);
    t = null;
    if (chars) {
      t = new Map();
      for (let b = 0; b < 256; b++) {
        const c = chars.charCodeAt(b);
        if (c !== 0xfffd && !t.has(c)) t.set(c, b);
      }
    }
    singleByteTables.set(encoding, t);
  }
  return t ?? undefined;
}

/** Whether encodeText can write this encoding at all. */
export function canEncode(encoding: string): boolean {
  return ['utf-8', 'latin-1', 'ascii', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'].includes(encoding) || singleByteTable(encoding) !== undefined;
}

/**
 * The bytes of `text` in `info`'s encoding (with its BOM); undefined when a character cannot be
 * represented (or lone surrogates in a UTF encoding).
 */
export function encodeText(text: string, info: Pick<TextEncodingInfo, 'encoding' | 'bom'>): Uint8Array | undefined {
  const enc = info.encoding;
  let body: Uint8Array | undefined;
  if (enc === 'utf-8' || enc.startsWith('utf-16') || enc.startsWith('utf-32')) {
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return undefined;
    if (enc === 'utf-8') body = new TextEncoder().encode(text);
    else if (enc.startsWith('utf-16')) {
      const le = enc === 'utf-16le';
      const out = new Uint8Array(text.length * 2);
      const dv = new DataView(out.buffer);
      for (let i = 0; i < text.length; i++) dv.setUint16(i * 2, text.charCodeAt(i), le);
      body = out;
    } else {
      const cps = [...text].map((c) => c.codePointAt(0) as number);
      const out = new Uint8Array(cps.length * 4);
      const dv = new DataView(out.buffer);
      cps.forEach((cp, i) => dv.setUint32(i * 4, cp, enc === 'utf-32le'));
      body = out;
    }
  } else if (enc === 'latin-1' || enc === 'ascii') {
    const max = enc === 'latin-1' ? 0xff : 0x7f;
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > max) return undefined;
      out[i] = c;
    }
    body = out;
  } else {
    const table = singleByteTable(enc);
    if (!table) return undefined;
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const b = table.get(text.charCodeAt(i));
      if (b === undefined) return undefined;
      out[i] = b;
    }
    body = out;
  }
  if (!info.bom) return body;
  const bom = BOMS.find((b) => b.encoding === enc)?.bytes;
  if (!bom) return body;
  const out = new Uint8Array(bom.length + body.length);
  out.set(bom, 0);
  out.set(body, bom.length);
  return out;
}
