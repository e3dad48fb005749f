// Pure charset detection and decoding. Chinese news sites often declare one charset and send another
// (a GBK page behind a server that says UTF-8, a UTF-8 page with a leftover gb2312 meta), so every
// declaration is checked against the bytes before it is trusted.
import { isUtf8 } from 'node:buffer';

/** Browsers look for <meta charset> in the first 1024 bytes; real pages put long heads first, so look further. */
const PRESCAN_BYTES = 4096;

/** Bytes examined when guessing between GBK and Big5; enough text for a stable ratio, cheap on 10 MB pages. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Share of non-ASCII characters that must be Chinese ideographs or CJK punctuation before we believe a legacy
 * decoding: real GBK or Big5 text scores above 0.95, the wrong one of the two scores far lower.
 */
const MIN_CHINESE_SHARE = 0.8;

/** Share of U+FFFD among non-ASCII characters up to which bytes count as UTF-8 with a few broken sequences. */
const MAX_UTF8_REPLACEMENT_SHARE = 0.05;

const LEGACY_CJK = new Set(['gbk', 'gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr']);
/** Labels that servers send by default (Apache's AddDefaultCharset) rather than because the page uses them. */
const WEAK_DECLARATIONS = new Set(['windows-1252', 'us-ascii']);

/** The charset `bytes` are in, as a lower-case WHATWG name ('utf-8', 'gbk', 'gb18030', 'big5', ...). */
export function detectCharset(bytes: Uint8Array, contentType?: string): string {
  const bom = charsetFromBom(bytes);
  if (bom) return bom;

  const fromHeader = charsetFromContentType(contentType);
  const fromDocument = charsetFromDocument(bytes);
  // A default header charset (ISO-8859-1) is weaker than what the page itself says.
  const declared =
    fromHeader && !(WEAK_DECLARATIONS.has(fromHeader) && fromDocument && fromDocument !== fromHeader)
      ? fromHeader
      : fromDocument;

  if (declared) return validateDeclared(bytes, declared);
  return sniff(bytes);
}

/** Bytes sniffed to decide whether a response without Content-Type is text. */
const BINARY_SNIFF_BYTES = 512;

/**
 * Text-like responses are decoded; images and other binaries keep `text: ''`. Here rather than in client.ts, so
 * the page workers and `extract` of files do not load the HTTP client (undici) just for this.
 */
export function isTextResponse(contentType: string, body: Uint8Array): boolean {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (!mime) return !body.subarray(0, BINARY_SNIFF_BYTES).includes(0);
  if (mime.startsWith('image/')) return false;
  return mime.startsWith('text/') || /(html|xml|json)/.test(mime);
}

/** Decodes `bytes` with the detected charset; invalid sequences become U+FFFD, never an exception. */
export function decodeBody(bytes: Uint8Array, contentType?: string): { text: string; charset: string } {
  const charset = detectCharset(bytes, contentType);
  const decoder = new TextDecoder(decoderLabel(charset), { fatal: false, ignoreBOM: false });
  return { text: decoder.decode(bytes), charset };
}

/** GB2312 and GBK are subsets of GB18030: decoding with the superset reads pages that stray outside them. */
function decoderLabel(charset: string): string {
  return charset === 'gbk' ? 'gb18030' : charset;
}

function charsetFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = contentType?.match(/;\s*charset\s*=\s*["']?([^"';\s]+)/i);
  return match ? normaliseLabel(match[1]) : undefined;
}

const META_TAG = /<meta\b[^>]*>/gi;
const META_CHARSET = /charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i;
const XML_DECLARATION = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']/i;

/** <meta charset>, <meta http-equiv="content-type" content="...; charset=...">, or the XML declaration. */
function charsetFromDocument(bytes: Uint8Array): string | undefined {
  // latin1 maps each byte to one code unit, so ASCII markup reads the same whatever the real charset.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PRESCAN_BYTES)).toString(
    'latin1',
  );
  const xml = head.match(XML_DECLARATION);
  if (xml) return asciiCompatible(normaliseLabel(xml[1]));
  for (const tag of head.match(META_TAG) ?? []) {
    const found = tag.match(META_CHARSET);
    const label = found && normaliseLabel(found[1]);
    if (label) return asciiCompatible(label);
  }
  return undefined;
}

/** A page we could read the declaration of is ASCII-compatible, so a UTF-16 claim inside it is wrong (HTML spec). */
function asciiCompatible(label: string | undefined): string | undefined {
  return label?.startsWith('utf-16') ? 'utf-8' : label;
}

/** The WHATWG name for a label ('GB2312' -> 'gbk', 'latin1' -> 'windows-1252'), or undefined when unknown. */
function normaliseLabel(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding.toLowerCase();
  } catch {
    return undefined;
  }
}

function validateDeclared(bytes: Uint8Array, declared: string): string {
  if (declared === 'utf-8') {
    if (isMostlyUtf8(bytes)) return 'utf-8';
    // Not UTF-8 at all: believe the bytes if they read as Chinese in a legacy charset.
    return sniffLegacyChinese(bytes) ?? 'utf-8';
  }
  // Legacy-charset text is practically never valid UTF-8 by chance, so clean UTF-8 with non-ASCII content
  // means the declaration is stale (a template still saying gb2312 after the site moved to UTF-8).
  if (
    (LEGACY_CJK.has(declared) || WEAK_DECLARATIONS.has(declared)) &&
    hasNonAscii(bytes) &&
    isValidUtf8(bytes)
  ) {
    return 'utf-8';
  }
  return declared;
}

function sniff(bytes: Uint8Array): string {
  if (!hasNonAscii(bytes) || isMostlyUtf8(bytes)) return 'utf-8';
  return sniffLegacyChinese(bytes) ?? 'windows-1252';
}

/** 'gbk', 'gb18030' or 'big5', whichever reads the bytes as the most plausible Chinese text. */
function sniffLegacyChinese(bytes: Uint8Array): string | undefined {
  const sample = bytes.subarray(0, cutAtCharacterBoundary(bytes, SNIFF_BYTES));
  const gbShare = chineseShare(new TextDecoder('gb18030').decode(sample));
  const big5Share = chineseShare(new TextDecoder('big5').decode(sample));
  if (Math.max(gbShare, big5Share) < MIN_CHINESE_SHARE) return undefined;
  if (big5Share > gbShare) return 'big5';
  return hasFourByteGb18030(sample) ? 'gb18030' : 'gbk';
}

/** Ends the sample before a trailing incomplete multi-byte character, which would otherwise decode as U+FFFD. */
function cutAtCharacterBoundary(bytes: Uint8Array, limit: number): number {
  if (bytes.length <= limit) return bytes.length;
  let end = limit;
  while (end > 0 && bytes[end - 1] >= 0x80) end--;
  return end > 0 ? end : limit;
}

/** Share of non-ASCII characters that are CJK ideographs, CJK punctuation or full-width forms. */
function chineseShare(text: string): number {
  let nonAscii = 0;
  let chinese = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    nonAscii++;
    if (
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0x3000 && code <= 0x303f) ||
      (code >= 0xff00 && code <= 0xffef)
    ) {
      chinese++;
    }
  }
  return nonAscii === 0 ? 0 : chinese / nonAscii;
}

/** Validates without decoding (simdutf): a fatal TextDecoder built a string of the whole page only to drop it. */
function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Valid UTF-8, or UTF-8 with a few broken sequences; legacy CJK bytes give U+FFFD for nearly every character. */
function isMostlyUtf8(bytes: Uint8Array): boolean {
  if (isValidUtf8(bytes)) return true;
  const sample = bytes.subarray(0, cutAtCharacterBoundary(bytes, SNIFF_BYTES));
  const text = new TextDecoder('utf-8').decode(sample);
  let nonAscii = 0;
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    nonAscii++;
    if (code === 0xfffd) replaced++;
  }
  return nonAscii > 0 && replaced / nonAscii <= MAX_UTF8_REPLACEMENT_SHARE;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

/** GB18030 four-byte sequences (lead 0x81-0xFE, then a digit 0x30-0x39) are what GBK cannot express. */
function hasFourByteGb18030(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] < 0x81 || bytes[i] > 0xfe) continue;
    if (bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) return true;
    i++;
  }
  return false;
}
