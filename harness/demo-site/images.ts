// The demo site's pictures: drawn pixel by pixel from a generator seeded with the image's key, then encoded with
// sharp, so regenerating gives the same bytes. Scenes stand in for news photos, bar charts for graphics.
import { seededRandomFromText as seededRandom } from '../random.ts';
import { A_ARTICLES, BODY_IMAGES, type ImageSpec, leadImagePath, type SceneKind } from './content.ts';

/** Photo-like size of the publisher's 600x400 crops. */
const PHOTO_WIDTH = 600;
const PHOTO_HEIGHT = 400;
/** Grain amplitude (0-255 scale): enough texture that JPEGs land in the 20-120 KB range of real news photos. */
const PHOTO_GRAIN = 26;
/** Quality the publisher's CMS would use; with the grain above it gives 40-90 KB per photo. */
const PHOTO_QUALITY = 82;

/** Share of chart pixels with grain: 5% puts a 600x400 PNG near 35 KB (flat, it would be 3 KB). */
const CHART_GRAIN_SHARE = 0.05;
/** GIF frames share one grain pattern (same seed), so only the growing bars differ between frames. */
const GIF_GRAIN_SHARE = 0.01;

/** Every image of the site: the articles' lead photos, then the body images of images.yaml. */
export function allImageSpecs(): ImageSpec[] {
  const leads = A_ARTICLES.filter((article) => article.lead).map(
    (article): ImageSpec => ({
      key: `lead-${article.id}`,
      path: leadImagePath(article)!,
      format: 'jpeg',
      width: PHOTO_WIDTH,
      height: PHOTO_HEIGHT,
      draw: 'scene',
      scene: article.lead!.scene,
    }),
  );
  return [...leads, ...BODY_IMAGES];
}

type Rgb = [number, number, number];

class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3);
  }
  set(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
    this.data[i] = r;
    this.data[i + 1] = g;
    this.data[i + 2] = b;
  }
  rect(x0: number, y0: number, w: number, h: number, color: Rgb): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, y0 + h); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, x0 + w); x++) this.set(x, y, color);
  }
  circle(cx: number, cy: number, radius: number, color: Rgb): void {
    for (let y = Math.floor(cy - radius); y <= cy + radius; y++)
      for (let x = Math.floor(cx - radius); x <= cx + radius; x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) this.set(x, y, color);
  }
  verticalGradient(y0: number, y1: number, top: Rgb, bottom: Rgb): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const color = mix(top, bottom, (y - y0) / Math.max(1, y1 - y0));
      for (let x = 0; x < this.width; x++) this.set(x, y, color);
    }
  }
  /** Noise on a share of the pixels (all of them for photos; a few for flat graphics, which would balloon as PNG). */
  grain(random: () => number, amplitude: number, share = 1): void {
    for (let i = 0; i < this.data.length; i += 3) {
      if (share < 1 && random() >= share) continue;
      const delta = (random() - 0.5) * amplitude;
      for (let channel = 0; channel < 3; channel++)
        this.data[i + channel] = clamp(this.data[i + channel] + delta);
    }
  }
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [clamp(a[0] + (b[0] - a[0]) * t), clamp(a[1] + (b[1] - a[1]) * t), clamp(a[2] + (b[2] - a[2]) * t)];
}

function jitter(color: Rgb, random: () => number, amount: number): Rgb {
  return [
    clamp(color[0] + (random() - 0.5) * amount),
    clamp(color[1] + (random() - 0.5) * amount),
    clamp(color[2] + (random() - 0.5) * amount),
  ];
}

/** Ridge line: a few sines with seeded frequencies, so each picture has its own horizon. */
function ridge(random: () => number, amplitude: number): (x: number) => number {
  const waves = [0, 1, 2].map(() => ({
    frequency: 0.004 + random() * 0.02,
    phase: random() * Math.PI * 2,
    weight: 0.3 + random(),
  }));
  const total = waves.reduce((sum, wave) => sum + wave.weight, 0);
  return (x) =>
    (amplitude *
      waves.reduce((sum, wave) => sum + wave.weight * Math.sin(x * wave.frequency + wave.phase), 0)) /
    total;
}

function drawScene(kind: SceneKind, seedText: string, width: number, height: number): Canvas {
  const random = seededRandom(seedText);
  const canvas = new Canvas(width, height);
  const dusk = random() < 0.35;
  const skyTop: Rgb = dusk ? [52, 60, 110] : jitter([70, 130, 200], random, 40);
  const skyBottom: Rgb = dusk ? [240, 160, 110] : jitter([200, 225, 240], random, 30);
  const horizon = Math.floor(height * (0.45 + random() * 0.15));
  canvas.verticalGradient(0, horizon, skyTop, skyBottom);
  canvas.circle(width * (0.15 + random() * 0.7), horizon * (0.25 + random() * 0.4), 18 + random() * 22, [
    255,
    dusk ? 200 : 245,
    dusk ? 150 : 210,
  ]);
  for (let cloud = 0; cloud < 4; cloud++) {
    const cx = random() * width;
    const cy = random() * horizon * 0.6;
    for (let puff = 0; puff < 5; puff++)
      canvas.circle(
        cx + puff * 14 - 30,
        cy + (random() - 0.5) * 10,
        10 + random() * 12,
        mix(skyBottom, [255, 255, 255], 0.6),
      );
  }
  const ground: Rgb = jitter([90, 120, 70], random, 40);
  const water: Rgb = jitter([40, 90, 140], random, 30);

  if (kind === 'mountains') {
    for (let layer = 0; layer < 3; layer++) {
      const line = ridge(random, 40 + layer * 10);
      const base = horizon - 50 + layer * 40;
      const color = mix([120, 130, 160], [40, 60, 50], layer / 2);
      for (let x = 0; x < width; x++)
        for (let y = Math.floor(base + line(x)); y < height; y++) canvas.set(x, y, color);
    }
    canvas.verticalGradient(horizon + 60, height, water, mix(water, [10, 30, 50], 0.6));
  } else if (kind === 'sea' || kind === 'port') {
    canvas.verticalGradient(horizon, height, mix(water, skyBottom, 0.3), mix(water, [5, 30, 60], 0.7));
    for (let streak = 0; streak < 260; streak++) {
      const y = horizon + random() * (height - horizon);
      const x = random() * width;
      const length = 8 + ((y - horizon) / (height - horizon)) * 40;
      canvas.rect(x, y, length, 1 + (y - horizon) / 120, mix(water, [255, 255, 255], 0.35));
    }
    if (kind === 'sea') {
      const line = ridge(random, 12);
      for (let x = 0; x < width; x++)
        for (let y = Math.floor(horizon + 70 + line(x)); y < height; y++)
          canvas.set(x, y, mix([225, 205, 160], ground, y / height / 3));
      for (let palm = 0; palm < 3; palm++) {
        const px = 60 + random() * (width - 120);
        canvas.rect(px, horizon + 5, 5, 75, [90, 70, 50]);
        canvas.circle(px + 2, horizon + 5, 22, [40, 110, 60]);
      }
    } else {
      for (let ship = 0; ship < 5; ship++) {
        const sx = random() * width * 0.8;
        const sy = horizon + 10 + ship * 12;
        canvas.rect(sx, sy, 70 + random() * 40, 8, [60, 60, 70]);
        for (let box = 0; box < 6; box++)
          canvas.rect(sx + 6 + box * 11, sy - 6, 10, 6, jitter([170, 80, 60], random, 120));
      }
      const quay = Math.floor(height * 0.78);
      canvas.rect(0, quay, width, height - quay, [120, 120, 115]);
      for (let stack = 0; stack < 40; stack++) {
        const bx = random() * width;
        const rows = 1 + Math.floor(random() * 4);
        for (let row = 0; row < rows; row++)
          canvas.rect(bx, quay - (row + 1) * 12, 34, 11, jitter([160, 90, 70], random, 150));
      }
      for (let crane = 0; crane < 3; crane++) {
        const cx = 80 + crane * 190 + random() * 40;
        canvas.rect(cx, quay - 150, 6, 150, [200, 60, 40]);
        canvas.rect(cx - 60, quay - 150, 140, 6, [200, 60, 40]);
      }
    }
  } else if (kind === 'city') {
    canvas.rect(0, horizon, width, height - horizon, mix(ground, [80, 80, 80], 0.7));
    for (let layer = 0; layer < 2; layer++) {
      let x = -10;
      while (x < width) {
        const w = 30 + random() * 50;
        const h = 60 + random() * (horizon - 40) * (layer ? 0.8 : 1);
        const body = layer ? jitter([70, 75, 90], random, 40) : jitter([140, 150, 170], random, 40);
        canvas.rect(x, horizon - h + layer * 40, w, h, body);
        for (let wy = horizon - h + layer * 40 + 6; wy < horizon + layer * 40 - 6; wy += 10)
          for (let wx = x + 4; wx < x + w - 6; wx += 9)
            if (random() < 0.6)
              canvas.rect(wx, wy, 5, 6, dusk ? [250, 220, 140] : mix(body, [220, 235, 250], 0.5));
        x += w + random() * 8;
      }
    }
    canvas.rect(0, Math.floor(height * 0.86), width, height, [60, 60, 62]);
    for (let mark = 0; mark < width; mark += 40)
      canvas.rect(mark, Math.floor(height * 0.93), 20, 3, [230, 230, 230]);
  } else if (kind === 'crowd') {
    canvas.rect(0, horizon, width, height - horizon, jitter([150, 140, 130], random, 30));
    for (let row = 0; row < 7; row++) {
      const y = horizon + row * ((height - horizon) / 6);
      const size = 8 + row * 3;
      for (let x = -size; x < width + size; x += size * 1.6 + random() * size) {
        canvas.rect(x - size * 0.7, y, size * 1.4, size * 2.4, jitter([90, 90, 120], random, 160));
        canvas.circle(x, y - size * 0.3, size * 0.6, jitter([225, 190, 160], random, 40));
      }
    }
    for (let sign = 0; sign < 4; sign++) {
      const sx = random() * width;
      canvas.rect(sx, horizon - 40, 60, 36, [245, 240, 230]);
      canvas.rect(sx + 8, horizon - 30, 44, 5, [200, 30, 30]);
    }
  } else {
    for (let band = 0; band < 14; band++) {
      const y = horizon + ((height - horizon) * band) / 14;
      canvas.rect(0, y, width, (height - horizon) / 14 + 1, jitter(ground, random, 50));
    }
    for (let pond = 0; pond < 9; pond++) {
      const px = random() * width;
      const py = horizon + 20 + random() * (height - horizon - 30);
      for (let dx = -60; dx < 60; dx++)
        for (let dy = -12; dy < 12; dy++)
          if ((dx / 60) ** 2 + (dy / 12) ** 2 < 1) canvas.set(px + dx, py + dy, mix(water, skyBottom, 0.4));
    }
  }
  canvas.grain(random, PHOTO_GRAIN);
  return canvas;
}

/** A bar chart without text: light paper, grid, shaded bars. */
function drawChart(
  values: number[],
  seedText: string,
  width: number,
  height: number,
  grainShare: number,
): Canvas {
  const random = seededRandom(seedText);
  const canvas = new Canvas(width, height);
  canvas.verticalGradient(0, height, [252, 250, 244], [232, 236, 242]);
  const left = 60;
  const bottom = height - 50;
  const top = 40;
  for (let y = top; y <= bottom; y += (bottom - top) / 5)
    canvas.rect(left, y, width - left - 30, 1, [200, 205, 215]);
  canvas.rect(left, top, 2, bottom - top, [80, 80, 90]);
  canvas.rect(left, bottom, width - left - 30, 2, [80, 80, 90]);
  const max = Math.max(...values);
  const slot = (width - left - 50) / values.length;
  const base: Rgb = jitter([40, 110, 180], random, 60);
  values.forEach((value, index) => {
    const barHeight = ((bottom - top - 10) * value) / max;
    const x0 = left + 12 + index * slot;
    for (let y = Math.floor(bottom - barHeight); y < bottom; y++) {
      const shade = mix(mix(base, [255, 255, 255], 0.35), base, (y - (bottom - barHeight)) / barHeight);
      for (let x = Math.floor(x0); x < x0 + slot * 0.7; x++) canvas.set(x, y, shade);
    }
    canvas.rect(x0 + slot * 0.2, bottom + 10, slot * 0.3, 6, [120, 120, 130]);
  });
  // Paper texture, as a chart scanned from print: gives the file a realistic weight.
  canvas.grain(random, 14, grainShare);
  return canvas;
}

export async function encodeImage(
  spec: ImageSpec,
  drawn: Map<string, Buffer>,
): Promise<{ bytes: Buffer; frames: number }> {
  const { default: sharp } = await import('sharp');
  const raw = (canvas: Canvas) => ({
    raw: { width: canvas.width, height: canvas.height, channels: 3 as const },
  });
  if (spec.draw === 'scene') {
    const canvas = drawScene(spec.scene!, spec.key, spec.width, spec.height);
    const bytes = await sharp(canvas.data, raw(canvas))
      .blur(0.6)
      .jpeg({ quality: PHOTO_QUALITY, progressive: false })
      .toBuffer();
    drawn.set(spec.key, bytes);
    return { bytes, frames: 1 };
  }
  if (spec.draw === 'downscale') {
    const bytes = await sharp(drawn.get(spec.source!)!)
      .resize(spec.width, spec.height)
      .jpeg({ quality: PHOTO_QUALITY })
      .toBuffer();
    return { bytes, frames: 1 };
  }
  if (spec.draw === 'chart') {
    const canvas = drawChart(spec.values!, spec.key, spec.width, spec.height, CHART_GRAIN_SHARE);
    const bytes = await sharp(canvas.data, raw(canvas))
      .png({ compressionLevel: 9, palette: false })
      .toBuffer();
    return { bytes, frames: 1 };
  }
  // Animated GIF: a tally whose bars grow frame by frame.
  const frames = 8;
  const frameCanvases = Array.from({ length: frames }, (_, frame) =>
    drawChart(
      [3, 5, 2].map((target) => (target * (frame + 1)) / frames + 0.05),
      spec.key,
      spec.width,
      spec.height,
      GIF_GRAIN_SHARE,
    ),
  );
  const strip = Buffer.concat(frameCanvases.map((canvas) => canvas.data));
  const bytes = await sharp(strip, {
    raw: { width: spec.width, height: spec.height * frames, channels: 3, pageHeight: spec.height },
  })
    .gif({ colours: 32, delay: Array(frames).fill(400), loop: 0, effort: 7 })
    .toBuffer();
  return { bytes, frames };
}
