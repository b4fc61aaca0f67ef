import { readFileSync } from "node:fs";
import path from "node:path";
import * as fontkitModule from "@pdf-lib/fontkit";
import type { Font, Glyph } from "@pdf-lib/fontkit";
import type { PDFDocument } from "pdf-lib";

// The package's types declare named exports, but its builds export one default object (UMD for Node,
// an ES default for bundlers): take whichever holds `create`.
const fontkitApi = ("default" in fontkitModule ? (fontkitModule as { default: typeof fontkitModule }).default : fontkitModule);

export type Weight = "regular" | "bold";

/**
 * The fallback chain, in order: a character is drawn by the first family whose font has a glyph for
 * it. Noto Sans (Latin, Greek, Cyrillic, most symbols) first; CJK last because those fonts are large
 * and load only when a text needs them. A character no family has (emoji) is drawn as U+FFFD.
 */
const FAMILIES = [
  { family: "latin", pkg: "noto-sans", file: "NotoSans" },
  { family: "arabic", pkg: "noto-sans-arabic", file: "NotoSansArabic" },
  { family: "hebrew", pkg: "noto-sans-hebrew", file: "NotoSansHebrew" },
  { family: "jp", pkg: "noto-sans-jp", file: "NotoSansJP" },
  { family: "sc", pkg: "noto-sans-sc", file: "NotoSansSC" },
  { family: "kr", pkg: "noto-sans-kr", file: "NotoSansKR" },
] as const;

export type Family = (typeof FAMILIES)[number]["family"];
export const FALLBACK: Family = "latin";

/**
 * pdf-lib writes glyphs with their advance widths only (no GPOS placement), so the positioning features
 * are switched off: they would cost most of the shaping time for offsets nobody draws. Substitution
 * (Arabic joining forms, ligatures) stays on. Measuring and drawing pass the same features, so they
 * agree on every glyph.
 */
export const SHAPING_FEATURES = { kern: false, mark: false, mkmk: false, curs: false, dist: false, abvm: false, blwm: false, liga: false, clig: false, calt: false, rclt: false };

/**
 * Text in which no substitution the fonts keep on can fire: letters of scripts that need no shaping
 * (no marks, joiners or conjoining jamo), digits, spaces and punctuation. Its glyphs are the cmap's,
 * one per character, which `glyphsForString` gives a hundred times faster than `layout`; a unit test
 * checks the two agree on such text in every family.
 */
const SIMPLE_TEXT = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u{AC00}-\u{D7A3}\p{Script=Common}]*$/u;
const NEEDS_SHAPING = /[\p{M}\p{Default_Ignorable_Code_Point}]/u;

/** The glyphs `font` draws `text` with: shaped (Arabic joining, marks) unless the text needs no shaping. */
export function glyphsFor(font: Font, text: string): Glyph[] {
  return SIMPLE_TEXT.test(text) && !NEEDS_SHAPING.test(text) ? font.glyphsForString(text) : font.layout(text, SHAPING_FEATURES).glyphs;
}

export type LoadedFont = { bytes: Uint8Array; font: Font; scale: number };

const loaded = new Map<string, LoadedFont>();
const parsedByBytes = new WeakMap<Uint8Array, Font>();

/**
 * What pdf-lib is given for a font: the parsed font, with `layout` answering through `glyphsFor`, so
 * the PDF draws exactly the glyphs the line breaking measured. pdf-lib reads only `glyphs` of a run.
 */
function forPdfLib(font: Font): Font {
  const view = Object.create(font) as Font;
  const marks = new Map<number, Glyph>();
  // A mark the font split off its letter (Arabic dots) stands for no character; pdf-lib would write an
  // empty ToUnicode entry, which readers turn into a stray control character. It is mapped to the
  // invisible word joiner instead, which text extraction drops.
  const named = (glyph: Glyph) => {
    if (glyph.codePoints.length) return glyph;
    let mark = marks.get(glyph.id);
    if (!mark) marks.set(glyph.id, (mark = Object.assign(Object.create(glyph) as Glyph, { codePoints: [0x2060] })));
    return mark;
  };
  view.layout = (text: string) => ({ glyphs: glyphsFor(font, text).map(named) }) as ReturnType<Font["layout"]>;
  return view;
}

/** Where the npm packages are: the server, its worker and the scripts all run from the project root. */
function fontPath(family: Family, weight: Weight): string {
  const entry = FAMILIES.find((f) => f.family === family)!;
  const style = weight === "bold" ? "700Bold" : "400Regular";
  return path.join(process.cwd(), "node_modules", "@expo-google-fonts", entry.pkg, style, `${entry.file}_${style}.ttf`);
}

/**
 * One family's font, read and parsed the first time this thread needs it and kept for the thread's
 * life: parsing a CJK font is most of its cost, and a render only subsets what it draws.
 */
export function loadFont(family: Family, weight: Weight): LoadedFont {
  const key = `${family}/${weight}`;
  let entry = loaded.get(key);
  if (!entry) {
    const bytes = new Uint8Array(readFileSync(fontPath(family, weight)));
    const font = fontkitApi.create(bytes);
    parsedByBytes.set(bytes, forPdfLib(font));
    loaded.set(key, (entry = { bytes, font, scale: 1 / font.unitsPerEm }));
  }
  return entry;
}

/**
 * Handed to `PDFDocument.registerFontkit`: pdf-lib parses every font it embeds, so it is given the
 * font this thread already parsed for the same bytes (see `forPdfLib`).
 */
export const sharedFontkit: Parameters<PDFDocument["registerFontkit"]>[0] = {
  create: (bytes: Uint8Array, postscriptName?: string) => parsedByBytes.get(bytes) ?? fontkitApi.create(bytes, postscriptName),
};

/**
 * The first family in the chain with a glyph for `code` (coverage is the same in both weights), or
 * null. A cmap lookup per family, not cached: a cache keyed by code point would grow with every
 * distinct character a tenant ever types.
 */
export function familyFor(code: number): Family | null {
  for (const { family } of FAMILIES) if (loadFont(family, "regular").font.hasGlyphForCodePoint(code)) return family;
  return null;
}
