import type { Metadata } from "next";
import { Suspense } from "react";
import { workspacePrincipal } from "@/server/workspace-principal";
import { PageSkeleton } from "../../_components/ui";
import { ProjectsView } from "../projects-view";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const { allows } = await workspacePrincipal();
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ProjectsView canWrite={allows("project:write")} canDelete={allows("project:delete")} />
    </Suspense>
  );
}
