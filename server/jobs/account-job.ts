import { z } from "zod";

/**
 * A job about one person's account (their own mail), not about a tenant: it names the user, and
 * whatever it reads is read in that user's own transaction (RLS on app.user_id).
 */
export const accountJobPayload = z.looseObject({ userId: z.uuid() });
export type AccountJobPayload = z.infer<typeof accountJobPayload>;

export class MissingUserError extends Error {
  constructor(queue: string) {
    super(`A ${queue} job must carry a valid userId`);
    this.name = "MissingUserError";
  }
}

/** Validates an account payload before anything else happens (enqueue and run both call it). */
export function parseAccountPayload(queue: string, data: unknown): AccountJobPayload {
  const parsed = accountJobPayload.safeParse(data);
  if (!parsed.success) throw new MissingUserError(queue);
  return parsed.data;
}
