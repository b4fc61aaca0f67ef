import type { Metadata } from "next";
import { requirePagePermission } from "@/server/workspace-principal";
import { PageHeader } from "../../_components/ui";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePagePermission("apiKey:manage");
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let scripts call this workspace&apos;s API at <code>/api/trpc</code> with <code>Authorization: Bearer cnp_…</code>. A key works
            only on this workspace&apos;s addresses.
          </>
        }
      />
      <ApiKeysView />
    </>
  );
}
