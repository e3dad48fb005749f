// <page>.md.png: a QR code of the page's public URL, to share it phone to phone.
import QRCode from 'qrcode';

/** Medium error correction survives a screenshot re-shared through chat apps without growing the code much. */
const ERROR_CORRECTION = 'M';
/** Pixels per module: about 250 px wide for a typical URL, sharp on a phone and a few KB. */
const MODULE_PIXELS = 6;
/** The quiet zone the QR standard asks for, in modules. */
const QUIET_ZONE_MODULES = 4;

export async function renderQrPng(url: string): Promise<Uint8Array> {
  const png = await QRCode.toBuffer(url, {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    scale: MODULE_PIXELS,
    margin: QUIET_ZONE_MODULES,
  });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
