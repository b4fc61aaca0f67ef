import type { Metadata } from "next";
import { Suspense } from "react";
import { can } from "@/lib/permissions";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { PageSkeleton } from "../_components/ui";
import { ProjectsView } from "./projects-view";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const caller = await serverCaller();
  const { role } = await pageCall(() => caller.tenant.current(), "/projects");
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ProjectsView canWrite={can(role, "project:write")} canDelete={can(role, "project:delete")} />
    </Suspense>
  );
}
