import bidiFactory from "bidi-js";
import { FALLBACK, familyFor, glyphsFor, loadFont, type Family, type Weight } from "./pdf-fonts";

const bidi = bidiFactory();

/** Text in one font and one direction, ready for `drawText`: already in visual order, `width` in points. */
export type TextRun = { text: string; family: Family; width: number };
/** One line: its runs left to right, and its width in points. */
export type TextLine = { runs: TextRun[]; width: number };

const SPACE = " ";
const REPLACEMENT = "\uFFFD";
const SHARES_FONT = /[\p{Script=Common}\p{Script=Inherited}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const RTL_LETTER = new Set(["R", "AL"]);
/** Bidi classes that can give a character an embedding level above 0 in text without explicit embeddings. */
const MAY_TURN_RTL = new Set(["R", "AL", "AN", "RLE", "RLO", "RLI", "FSI"]);

/**
 * A paragraph prepared once: whitespace collapsed to single spaces, characters no font has replaced
 * by U+FFFD; each code point's font family
 * (null: not drawn), bidi embedding level and share of the shaped width; prefix sums of the shares.
 * `complex` marks characters whose glyphs may change when a line is cut next to them (joining
 * scripts, marks, ligatures), where a cut piece is shaped again.
 */
type Paragraph = {
  chars: string[];
  families: (Family | null)[];
  levels: number[];
  rtlLetters: boolean[];
  complex: boolean[];
  prefix: Float64Array;
  weight: Weight;
  size: number;
};

function prepare(value: string, weight: Weight, size: number): Paragraph {
  const text = value.split(/\s+/).filter(Boolean).join(SPACE);
  const chars = Array.from(text);
  const p: Paragraph = { chars, families: [], levels: [], rtlLetters: [], complex: [], prefix: new Float64Array(chars.length + 1), weight, size };
  // What is known of each distinct character, asked once per paragraph (bounded by its length).
  const known = new Map<number, { type: string; ignorable: boolean; shares: boolean; own?: Family | null; in: Partial<Record<Family, boolean>> }>();
  const infos = chars.map((ch) => {
    const code = ch.codePointAt(0)!;
    let info = known.get(code);
    if (!info) known.set(code, (info = { type: bidi.getBidiCharTypeName(ch), ignorable: IGNORABLE.test(ch), shares: SHARES_FONT.test(ch), in: {} }));
    return info;
  });
  // Text with nothing right-to-left in it (most) is all at level 0; the bidi algorithm runs otherwise.
  const unitLevels = infos.some((info) => MAY_TURN_RTL.has(info.type)) ? bidi.getEmbeddingLevels(text).levels : null;
  let unit = 0;
  let previous: Family | null = null;
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    const info = infos[i]!;
    p.levels.push(unitLevels ? unitLevels[unit]! : 0);
    unit += ch.length;
    p.rtlLetters.push(RTL_LETTER.has(info.type));
    // Spaces, punctuation and combining marks stay in the font of the text around them when it has
    // them (a run is not split for a space, a mark stays on its base); invisible format characters
    // (joiners, variation selectors, bidi controls) the font lacks are dropped instead of drawn as boxes.
    let family: Family | null;
    if (previous && (info.ignorable || info.shares) && (info.in[previous] ??= loadFont(previous, "regular").font.hasGlyphForCodePoint(code))) family = previous;
    else if (info.ignorable) family = null;
    else {
      family = info.own === undefined ? (info.own = familyFor(code)) : info.own;
      // No font has it (emoji, rare scripts): the replacement character, visible and extractable.
      if (!family) {
        chars[i] = REPLACEMENT;
        family = FALLBACK;
      }
    }
    p.families.push(family);
    p.complex.push(false);
    if (family) previous = family;
  });
  // Each word (and each space) is shaped once; its glyphs' advances are handed out to its characters.
  const shares = new Float64Array(chars.length);
  for (let a = 0; a < chars.length; ) {
    let b = a;
    if (chars[a] === SPACE) b = a + 1;
    else while (b < chars.length && chars[b] !== SPACE) b++;
    for (const [s, e] of segments(p, a, b)) distribute(p, s, e, shares);
    a = b;
  }
  for (let i = 0; i < chars.length; i++) p.prefix[i + 1] = p.prefix[i]! + shares[i]!;
  return p;
}

/**
 * Gives each character of the segment [s, e) its share of the shaped width: a glyph's advance goes to
 * the first character it stands for, a glyph standing for none (a mark split off its letter) to the
 * character before it.
 */
function distribute(p: Paragraph, s: number, e: number, shares: Float64Array) {
  const shaped = shape(p, s, e);
  if (!shaped) return;
  const drawn: number[] = [];
  for (let i = s; i < e; i++) if (p.families[i]) drawn.push(i);
  const glyphs = shaped.reversed ? [...shaped.glyphs].reverse() : shaped.glyphs;
  const complex = shaped.reversed || glyphs.length !== drawn.length || glyphs.some((glyph, i) => glyph.codePoints.length !== 1 || glyph.codePoints[0] !== p.chars[drawn[i]!]!.codePointAt(0));
  let cursor = 0;
  for (const glyph of glyphs) {
    const n = glyph.codePoints.length;
    const at = drawn[Math.max(0, Math.min(n === 0 ? cursor - 1 : cursor, drawn.length - 1))];
    if (at !== undefined) shares[at] = shares[at]! + glyph.advanceWidth * shaped.perUnit;
    cursor += n;
  }
  if (complex) for (let i = s; i < e; i++) p.complex[i] = true;
}

/**
 * The string given to the font for chars [a, b) (one family, one level), and whether the glyphs come
 * back in reverse logical order. An odd (right-to-left) level mirrors brackets; the font reverses a
 * run holding Arabic or Hebrew letters itself while shaping it (joining needs logical order), and a
 * right-to-left run of only neutral characters is reversed here.
 */
function shapingInput(p: Paragraph, a: number, b: number): { input: string; reversed: boolean } {
  const rtl = p.levels[a]! % 2 === 1;
  const parts: string[] = [];
  let letters = false;
  for (let i = a; i < b; i++) {
    if (!p.families[i]) continue;
    const ch = p.chars[i]!;
    parts.push(rtl ? (bidi.getMirroredCharacter(ch) ?? ch) : ch);
    letters ||= p.rtlLetters[i]!;
  }
  if (rtl && !letters) parts.reverse();
  return { input: parts.join(""), reversed: rtl };
}

/** Splits [a, b) into maximal ranges of one family and one level (characters not drawn join any range). */
function segments(p: Paragraph, a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  let start = a;
  let family: Family | null = null;
  let level = -1;
  for (let i = a; i < b; i++) {
    const f = p.families[i];
    if (!f) continue;
    if (family && (f !== family || p.levels[i] !== level)) {
      out.push([start, i]);
      start = i;
    }
    family = f;
    level = p.levels[i]!;
  }
  if (b > start) out.push([start, b]);
  return out;
}

/**
 * Shapes one segment with the real font (Arabic joined, ligatures, contextual forms); its width is
 * the sum of the glyphs' advances, which is what pdf-lib writes into the PDF for the same string.
 */
function shape(p: Paragraph, a: number, b: number) {
  let family: Family | null = null;
  for (let i = a; i < b && !family; i++) family = p.families[i]!;
  if (!family) return null;
  const { input, reversed } = shapingInput(p, a, b);
  const { font, scale } = loadFont(family, p.weight);
  const glyphs = glyphsFor(font, input);
  const perUnit = scale * p.size;
  let units = 0;
  for (const glyph of glyphs) units += glyph.advanceWidth;
  return { family, input, reversed, glyphs, perUnit, width: units * perUnit };
}

/** The width of [a, b): from the shares, or shaped again where a cut may have changed the glyphs. */
function widthOf(p: Paragraph, a: number, b: number, exact: boolean): number {
  if (!exact) return p.prefix[b]! - p.prefix[a]!;
  let width = 0;
  for (const [s, e] of segments(p, a, b)) width += shape(p, s, e)?.width ?? 0;
  return width;
}

/**
 * Greedy word wrap to `width` points, in time linear in the text: every word is shaped once, and a
 * line's width is a difference of prefix sums. A word wider than the column is cut at the longest
 * prefix that fits (at least one character); where the cut touches complex text the piece is shaped
 * again and shortened if its new forms made it too wide. Lines come back in visual order, with
 * right-to-left runs reordered by the Unicode bidi algorithm.
 */
export function layoutText(value: string, weight: Weight, size: number, width: number): TextLine[] {
  const p = prepare(value, weight, size);
  const n = p.chars.length;
  const fits = (w: number) => w <= width + 1e-9;
  const lines: [number, number, boolean][] = [];
  let lineStart = -1;
  let lineEnd = -1;
  let lineCut = false;
  for (let a = 0; a < n; ) {
    let b = a;
    while (b < n && p.chars[b] !== SPACE) b++;
    if (lineStart >= 0 && fits(widthOf(p, lineStart, b, lineCut))) {
      lineEnd = b;
      a = b + 1;
      continue;
    }
    if (lineStart >= 0) lines.push([lineStart, lineEnd, lineCut]);
    let start = a;
    lineCut = false;
    while (b - start > 1 && !fits(widthOf(p, start, b, lineCut))) {
      let end = start + 1;
      while (end < b - 1 && fits(p.prefix[end + 1]! - p.prefix[start]!)) end++;
      const exact = p.complex[end - 1]! || p.complex[end]!;
      while (end > start + 1 && exact && !fits(widthOf(p, start, end, true))) end--;
      lines.push([start, end, exact]);
      start = end;
      lineCut = p.complex[start]!;
    }
    lineStart = start;
    lineEnd = b;
    a = b + 1;
  }
  if (lineStart >= 0) lines.push([lineStart, lineEnd, lineCut]);
  if (!lines.length) return [{ runs: [], width: 0 }];
  return lines.map(([a, b, exact]) => visualLine(p, a, b, exact));
}

function visualLine(p: Paragraph, a: number, b: number, exact: boolean): TextLine {
  const runs: (TextRun & { level: number })[] = [];
  for (const [s, e] of segments(p, a, b)) {
    const family = p.families.slice(s, e).find((f) => f);
    if (family) runs.push({ text: shapingInput(p, s, e).input, family, width: widthOf(p, s, e, exact), level: p.levels[s]! });
  }
  // Rule L2 of the bidi algorithm on whole runs (a run has one level): from the highest level down to
  // the lowest odd one, reverse every sequence of runs at that level or above.
  const levels = runs.map((r) => r.level);
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1));
  for (let level = Math.max(0, ...levels); level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; ) {
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      if (j > i) runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j + 1;
    }
  }
  return { runs: runs.map(({ text, family, width }) => ({ text, family, width })), width: runs.reduce((sum, r) => sum + r.width, 0) };
}
