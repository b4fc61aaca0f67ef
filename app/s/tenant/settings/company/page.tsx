import type { Metadata } from "next";
import { can } from "@/lib/permissions";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { rootUrl } from "@/server/urls";
import { PageHeader } from "../../_components/ui";
import { CompanyForm } from "./company-form";
import { LogoUpload } from "./logo-upload";
import { MfaRequirement } from "./mfa-requirement";

export const metadata: Metadata = { title: "Company details" };

export default async function CompanyPage() {
  const caller = await serverCaller();
  const [tenant, settings, security] = await Promise.all([
    pageCall(() => caller.tenant.current(), "/settings/company"),
    pageCall(() => caller.tenant.settings.get(), "/settings/company"),
    pageCall(() => caller.tenant.security.get(), "/settings/company"),
  ]);
  const editable = can(tenant.role, "settings:manage");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Company details"
        description="Who your invoices come from, and what new invoices start with. Your workspace name and logo also appear on this workspace's sign-in page."
      />
      {editable ? null : (
        <p role="note" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          Only owners and admins can change these details.
        </p>
      )}
      <LogoUpload logo={settings.logo} workspaceName={tenant.name} editable={editable} />
      <CompanyForm settings={settings} editable={editable} workspaceName={tenant.name} />
      <MfaRequirement
        required={security.mfaRequired}
        callerHasMfa={security.callerHasMfa}
        editable={can(tenant.role, "security:manage")}
        settingsUrl={rootUrl("/settings#mfa")}
      />
    </div>
  );
}
