import { requirePagePermission } from "@/server/workspace-principal";
import { DomainsManager } from "./domains-manager";

export const metadata = { title: "Custom domains" };

export default async function DomainsPage() {
  await requirePagePermission("domain:manage");
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
