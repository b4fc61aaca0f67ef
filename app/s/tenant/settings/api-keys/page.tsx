import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { can } from "@/lib/permissions";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { PageHeader } from "../../_components/ui";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const caller = await serverCaller();
  const { role } = await pageCall(() => caller.tenant.current(), "/settings/api-keys");
  if (!can(role, "apiKey:manage")) forbidden();
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
