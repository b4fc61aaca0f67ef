import type { Database } from "@/db/client";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { hashPassword } from "@/lib/password";
import { AppError } from "@/server/errors";
import type { SignUpInput } from "./schemas";

/** A new user row; the insert is allowed by RLS only because app.user_id is the new id. */
export async function signUp(db: Database, input: SignUpInput): Promise<{ id: string }> {
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await withUser(db, id, (tx) => tx.insert(users).values({ id, email: input.email, name: input.name, passwordHash }));
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "23505") {
      throw new AppError("CONFLICT", "An account with this email already exists; sign in instead");
    }
    throw error;
  }
  return { id };
}
