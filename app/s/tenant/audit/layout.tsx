import type { ReactNode } from "react";
import { requirePagePermission } from "@/server/workspace-principal";

/** Checked here, above the page's loading skeleton: once that streams, a 403 could only be a 200. */
export default async function AuditLayout({ children }: { children: ReactNode }) {
  await requirePagePermission("audit:read");
  return children;
}
