import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { AppError } from "@/server/errors";

/** The signed-in user's own account: who they are and whether their address is proven. */
export async function accountStatus(directory: Database, userId: string) {
  const [row] = await withUser(directory, userId, (tx) =>
    tx.select({ email: users.email, name: users.name, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)),
  );
  if (!row) throw new AppError("NOT_FOUND", "Account not found");
  return { email: row.email, name: row.name, emailVerified: row.emailVerifiedAt !== null };
}
