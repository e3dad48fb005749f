// Whether an image can be an article's lead picture: icons, logos, avatars, badges, sprites and tracking pixels
// are refused, by the size the page declares for them and by what their URL, class, id and alt text call them.
// Pure: reads attributes only (the size of a mirrored image is checked by the job, which has the bytes).

/** Below this many pixels on a side an image is an icon, a badge or a pixel, not the story's picture. */
export const MIN_LEAD_IMAGE_SIDE = 100;

/** Path words of furniture images ('/icons/share.png', 'site-logo.svg', 'avatar-88.jpg', '1x1.gif'). */
const FURNITURE_PATH =
  /(?:^|[/_.-])(?:icons?|logos?|avatars?|badges?|sprites?|favicons?|emojis?|spacer|blank|gravatar|headshots?|placeholder|1x1|pixel\.(?:gif|png)|transparent\.(?:gif|png))(?=[/_.-]|$)/i;
/** File types that are icons (SVG pictures are nearly always logos and interface symbols). */
const FURNITURE_TYPE = /\.(?:svg|ico)(?:$|[?#])/i;
/** Class and id words of furniture images ('author-avatar', 'site-logo', 'wp-smiley', 'badge'). */
const FURNITURE_NAME =
  /(?:^|[\s_-])(?:icons?|logos?|avatars?|badges?|sprites?|emojis?|smiley|gravatar|headshot|author|profile|brand)(?:$|[\s_-])/i;
/** Alt text that names furniture ('Company logo', 'icon', 'Headshot of Jane Doe'). */
const FURNITURE_ALT = /\b(?:logo|icon|avatar|badge|headshot|profile (?:photo|picture))\b/i;

/** The attributes of an <img> (or a meta tag's declared width/height) that say what the image is. */
export interface ImageAttributes {
  src?: string;
  width?: string;
  height?: string;
  srcset?: string;
  style?: string;
  class?: string;
  id?: string;
  alt?: string;
}

/** Why an image is not a lead picture ('small', 'icon'), or undefined when it may be one. */
export function leadImageRefusal(image: ImageAttributes): 'small' | 'icon' | undefined {
  if (isDeclaredSmall(image)) return 'small';
  const src = image.src ?? '';
  if (FURNITURE_TYPE.test(src) || FURNITURE_PATH.test(pathOf(src))) return 'icon';
  const names = `${image.class ?? ''} ${image.id ?? ''}`;
  if (FURNITURE_NAME.test(names) || FURNITURE_ALT.test(image.alt ?? '')) return 'icon';
  return undefined;
}

export function isLeadImageCandidate(image: ImageAttributes): boolean {
  return leadImageRefusal(image) === undefined;
}

/**
 * A side below MIN_LEAD_IMAGE_SIDE in the width/height attributes, the inline style, every srcset width
 * descriptor, a resized copy's name ('photo-150x150.jpg') or its query ('?w=88&h=88').
 */
function isDeclaredSmall(image: ImageAttributes): boolean {
  const sides = [
    pixels(image.width),
    pixels(image.height),
    pixels(/(?:^|;)\s*width\s*:\s*([\d.]+)px/i.exec(image.style ?? '')?.[1]),
    pixels(/(?:^|;)\s*height\s*:\s*([\d.]+)px/i.exec(image.style ?? '')?.[1]),
  ];
  if (sides.some((side) => side !== undefined && side < MIN_LEAD_IMAGE_SIDE)) return true;
  const widths = [...(image.srcset ?? '').matchAll(/\s(\d+)w(?:\s*,|\s*$)/g)].map((m) => Number(m[1]));
  if (widths.length > 0 && Math.max(...widths) < MIN_LEAD_IMAGE_SIDE) return true;
  const src = image.src ?? '';
  const resized = /-(\d{2,4})x(\d{2,4})\.[a-z0-9]+(?:$|[?#])/i.exec(src);
  if (resized && Math.min(Number(resized[1]), Number(resized[2])) < MIN_LEAD_IMAGE_SIDE) return true;
  const query = queryOf(src);
  const queried = ['w', 'width', 'h', 'height'].map((key) => pixels(query?.get(key) ?? undefined));
  return queried.some((side) => side !== undefined && side < MIN_LEAD_IMAGE_SIDE);
}

/** A length in pixels from '88', '88px'; undefined for percentages, 'auto' and nonsense (0 is "unset"). */
function pixels(value: string | undefined): number | undefined {
  const match = value ? /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(value) : null;
  const number = match ? Number(match[1]) : Number.NaN;
  return number > 0 ? number : undefined;
}

function pathOf(src: string): string {
  try {
    return decodeURIComponent(new URL(src, 'http://x.invalid/').pathname);
  } catch {
    return src;
  }
}

function queryOf(src: string): URLSearchParams | undefined {
  try {
    return new URL(src, 'http://x.invalid/').searchParams;
  } catch {
    return undefined;
  }
}
