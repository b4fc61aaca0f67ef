import { notFound } from "next/navigation";
import { z } from "zod";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { tenantUrl } from "@/server/urls";
import { Badge, tenantStatus } from "../../_components/ui";
import { ExportPanel } from "./export-panel";
import { PlacementPanel } from "./placement-panel";
import { PlanPanel } from "./plan-panel";
import { SupportForm } from "./support-form";
import { TenantActions } from "./tenant-actions";

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const caller = await serverCaller();
  const tenant = await pageCall(() => caller.admin.tenants.byId({ id }));
  const status = tenantStatus(tenant);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{tenant.name}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <Badge status={status} />
          <span>plan {tenant.plan}</span>
          <span>·</span>
          <a href={tenantUrl(tenant.slug)} className="text-emerald-800 underline">
            {tenant.slug}
          </a>
          <span>· created {tenant.createdAt.toISOString().slice(0, 10)}</span>
          {tenant.purgeAfter ? <span>· restorable until {tenant.purgeAfter.toISOString().slice(0, 16).replace("T", " ")} UTC</span> : null}
        </p>
      </div>
      <TenantActions tenant={{ id: tenant.id, name: tenant.name, status, purgeAfter: tenant.purgeAfter?.toISOString() ?? null }} />
      {status !== "deleted" ? <SupportForm tenantId={tenant.id} /> : null}
      <PlanPanel tenant={{ id: tenant.id, name: tenant.name, plan: tenant.plan, deleted: status === "deleted" }} />
      <PlacementPanel tenantId={tenant.id} name={tenant.name} />
      <ExportPanel tenantId={tenant.id} slug={tenant.slug} />
    </div>
  );
}
