import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { addressKey } from "@/lib/client-address.mjs";

/**
 * 5 failures per email or 30 per client address within 15 minutes block that key for 15 minutes.
 * A browser that presents a valid device cookie for the email (server/device-cookie.ts) is judged
 * by its own counter instead, 5 failures like an email.
 */
const WINDOW_S = 15 * 60;
const BLOCK_S = 15 * 60;
const MAX_PER_EMAIL = 5;
const MAX_PER_IP = 30;
const MAX_PER_DEVICE = 5;

export type ThrottleKeys = { email: string; ip: string | null; device: string | null };

/** `ip` is the client address (lib/client-address.mjs); `deviceId` a device cookie verified for this email. */
export const throttleKeys = (email: string, ip: string | null, deviceId: string | null = null): ThrottleKeys => {
  const normalized = email.toLowerCase();
  return {
    email: `email:${normalized}`,
    ip: ip ? `ip:${addressKey(ip)}` : null,
    device: deviceId ? `device:${deviceId}:${normalized}` : null,
  };
};

/**
 * The keys that decide a sign-in. With a device cookie only the device's own: failures from
 * elsewhere (someone locking the account, or the address) never lock out a browser that signed in
 * as this email before. Without one, the email and the address: guessing stays throttled.
 */
function judgingKeys(keys: ThrottleKeys): string[] {
  if (keys.device) return [keys.device];
  return [keys.email, ...(keys.ip ? [keys.ip] : [])];
}

export async function blockedUntil(db: Database, keys: ThrottleKeys): Promise<Date | null> {
  // Drizzle expands a JS array into a row literal; build an array constructor of bound values.
  const keyArray = sql`array[${sql.join(
    judgingKeys(keys).map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
  const rows = await db.execute<{ until: string | null }>(sql`select app_auth_blocked_until(${keyArray}) as until`);
  const until = rows[0]?.until;
  return until ? new Date(until) : null;
}

const record = (db: Database, key: string, max: number) =>
  db.execute(sql`select app_auth_record_failure(array[${key}]::text[], ${max}, ${WINDOW_S}, ${BLOCK_S})`);

/** Counts a failure against the keys that judged the attempt. */
export async function recordFailure(db: Database, keys: ThrottleKeys): Promise<void> {
  if (keys.device) {
    await record(db, keys.device, MAX_PER_DEVICE);
    return;
  }
  await record(db, keys.email, MAX_PER_EMAIL);
  if (keys.ip) await record(db, keys.ip, MAX_PER_IP);
}

/**
 * After a success, clears the counter that judged it: the device's, or the email's. Never the
 * address's, and never a block in force (app_auth_clear leaves those): a success through a device
 * cookie must not hand whoever locked the email a fresh set of guesses.
 */
export async function clearFailures(db: Database, keys: ThrottleKeys): Promise<void> {
  await db.execute(sql`select app_auth_clear(${keys.device ?? keys.email})`);
}

export class ThrottledError extends Error {
  constructor(readonly until: Date) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    super(`Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    this.name = "ThrottledError";
  }
}

/** Any other attempt counter (sign-ups, resent links): `key` is blocked for `windowS` once it reaches `max` in that window. */
export async function recordAttempt(db: Database, key: string, limit: { max: number; windowS: number }): Promise<void> {
  await db.execute(sql`select app_auth_record_failure(array[${key}]::text[], ${limit.max}, ${limit.windowS}, ${limit.windowS})`);
}

export async function attemptBlockedUntil(db: Database, keys: string[]): Promise<Date | null> {
  const keyArray = sql`array[${sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
  const rows = await db.execute<{ until: string | null }>(sql`select app_auth_blocked_until(${keyArray}) as until`);
  const until = rows[0]?.until;
  return until ? new Date(until) : null;
}
