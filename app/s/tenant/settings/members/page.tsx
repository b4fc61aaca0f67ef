import type { Metadata } from "next";
import { workspacePrincipal } from "@/server/workspace-principal";
import { PageHeader } from "../../_components/ui";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const { tenant, allows } = await workspacePrincipal();
  const canManage = allows("member:manage");
  return (
    <>
      <PageHeader
        title="Members"
        description={canManage ? "Invite people, change what they can do, or remove them." : "The people in this workspace."}
      />
      <MembersView canManage={canManage} isOwner={tenant.role === "owner"} />
    </>
  );
}
