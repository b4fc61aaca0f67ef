import { z } from "zod";

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

/** An opaque cursor for keyset pagination on (created_at, id). */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

/** A malformed cursor reads as "from the start" rather than an error: cursors are opaque to clients. */
export function decodeCursor(cursor: string): [Date, string] | null {
  try {
    const [at, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return [new Date(at), id];
  } catch {
    return null;
  }
}
