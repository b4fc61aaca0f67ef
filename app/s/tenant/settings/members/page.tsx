import type { Metadata } from "next";
import { can } from "@/lib/permissions";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { PageHeader } from "../../_components/ui";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const caller = await serverCaller();
  const { role } = await pageCall(() => caller.tenant.current(), "/settings/members");
  const canManage = can(role, "member:manage");
  return (
    <>
      <PageHeader
        title="Members"
        description={canManage ? "Invite people, change what they can do, or remove them." : "The people in this workspace."}
      />
      <MembersView canManage={canManage} isOwner={role === "owner"} />
    </>
  );
}
