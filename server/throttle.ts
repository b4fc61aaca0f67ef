import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/** 5 failures per email or 30 per IP within 15 minutes block that key for 15 minutes. */
const WINDOW_S = 15 * 60;
const BLOCK_S = 15 * 60;
const MAX_PER_EMAIL = 5;
const MAX_PER_IP = 30;

export const throttleKeys = (email: string, ip: string | null) => ({
  email: `email:${email.toLowerCase()}`,
  ip: ip ? `ip:${ip}` : null,
});

export async function blockedUntil(db: Database, keys: { email: string; ip: string | null }): Promise<Date | null> {
  const list = [keys.email, ...(keys.ip ? [keys.ip] : [])];
  // Drizzle expands a JS array into a row literal; build an array constructor of bound values.
  const keyArray = sql`array[${sql.join(
    list.map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
  const rows = await db.execute<{ until: string | null }>(sql`select app_auth_blocked_until(${keyArray}) as until`);
  const until = rows[0]?.until;
  return until ? new Date(until) : null;
}

export async function recordFailure(db: Database, keys: { email: string; ip: string | null }): Promise<void> {
  await db.execute(sql`select app_auth_record_failure(array[${keys.email}]::text[], ${MAX_PER_EMAIL}, ${WINDOW_S}, ${BLOCK_S})`);
  if (keys.ip) await db.execute(sql`select app_auth_record_failure(array[${keys.ip}]::text[], ${MAX_PER_IP}, ${WINDOW_S}, ${BLOCK_S})`);
}

export async function clearFailures(db: Database, emailKey: string): Promise<void> {
  await db.execute(sql`select app_auth_clear(${emailKey})`);
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
