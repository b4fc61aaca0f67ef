import { and, desc, eq, ilike, lt, or, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/server/keyset-cursor";
import { projects } from "@/db/schema/projects";
import type { ListProjectsInput } from "@/lib/schemas/project";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated on (created_at, id) — stable under inserts, index-backed. */
export async function listProjects({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, input: ListProjectsInput) {
  const limit = input.limit ?? 20;
  const filters: (SQL | undefined)[] = [eq(projects.tenantId, tenantId)];
  if (input.status) filters.push(eq(projects.status, input.status));
  if (input.search) filters.push(ilike(projects.name, `%${escapeLike(input.search)}%`));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor) {
      const [at, id] = cursor;
      filters.push(or(lt(projects.createdAt, at), and(eq(projects.createdAt, at), lt(projects.id, id))));
    }
  }
  const rows = await data
    .select()
    .from(projects)
    .where(and(...filters))
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
