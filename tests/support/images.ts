import sharp from "sharp";

/** A real PNG of the given size, made by libvips (so it parses exactly as an upload would). */
export async function pngBytes(width = 32, height = 32, color = "#047857"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: color } }).png().toBuffer();
}

export const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");
