import { sql } from "drizzle-orm";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

export type FailedJob = {
  id: string;
  queue: string;
  tenantId: string | null;
  retryCount: number;
  error: string | null;
  createdOn: Date;
  failedOn: Date | null;
};

type Row = { id: string; name: string; data: { tenantId?: unknown } | null; retry_count: number; output: unknown; created_on: Date; completed_on: Date | null };

/** Jobs that exhausted their retries. Payloads hold ids only, never tenant rows. */
export async function listFailedJobs({ directory }: Pick<PlatformScope, "directory">, limit = 100): Promise<FailedJob[]> {
  const rows = await directory.execute<Row>(sql`
    select id::text, name, data, retry_count, output, created_on, completed_on
    from pgboss.job where state = 'failed' and name not like '\\_\\_pgboss%'
    order by completed_on desc nulls last limit ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    queue: r.name,
    tenantId: typeof r.data?.tenantId === "string" ? r.data.tenantId : null,
    retryCount: r.retry_count,
    error: errorText(r.output),
    createdOn: new Date(r.created_on),
    failedOn: r.completed_on ? new Date(r.completed_on) : null,
  }));
}

function errorText(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const message = (output as { message?: unknown }).message;
  return typeof message === "string" ? message.slice(0, 500) : JSON.stringify(output).slice(0, 500);
}
