import { sql } from "drizzle-orm";
import { withUser } from "@/db/tenant-transaction";
import { authedProcedure, router } from "@/server/api/trpc";

type WorkspaceRow = { tenant_id: string; slug: string; name: string; status: string; role: string; [k: string]: unknown };

export const meRouter = router({
  /** The signed-in user's tenants, through the directory function that reads app.user_id only. */
  workspaces: authedProcedure.query(async ({ ctx }) => {
    const rows = await withUser(ctx.db, ctx.session.userId, (tx) =>
      tx.execute<WorkspaceRow>(sql`select tenant_id, slug, name, status, role from app_my_workspaces()`),
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name, status: r.status, role: r.role }));
  }),
});
