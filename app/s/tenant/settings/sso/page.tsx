import { PageHeader } from "@/app/s/tenant/_components/ui";
import { requirePagePermission } from "@/server/workspace-principal";
import { SsoSettings } from "./sso-settings";

export const metadata = { title: "Single sign-on" };

export default async function SsoPage() {
  await requirePagePermission("sso:manage");
  return (
    <div>
      <PageHeader
        title="Single sign-on"
        description="Let people with your company's email addresses sign in through your identity provider (OpenID Connect). New people join this workspace on their first sign-in."
      />
      <SsoSettings />
    </div>
  );
}
