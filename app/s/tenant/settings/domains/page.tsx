import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { DomainsManager } from "./domains-manager";

export const metadata = { title: "Custom domains" };

export default async function DomainsPage() {
  const caller = await serverCaller();
  // Owners and admins only (domain:manage): anyone else gets the 403 page.
  await pageCall(() => caller.domain.list(), "/settings/domains");
  return (
    <div>
      <h1 className="text-2xl font-bold">Custom domains</h1>
      <p className="mt-1 text-sm text-slate-600">
        Serve this workspace at your own domain. Add it, create the two DNS records shown, then verify. Unverified domains never route.
      </p>
      <DomainsManager />
    </div>
  );
}
