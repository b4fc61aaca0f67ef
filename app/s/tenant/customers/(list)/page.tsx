import type { Metadata } from "next";
import { Suspense } from "react";
import { workspacePrincipal } from "@/server/workspace-principal";
import { PageSkeleton } from "../../_components/ui";
import { CustomersView } from "../customers-view";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage() {
  const { allows } = await workspacePrincipal();
  return (
    <Suspense fallback={<PageSkeleton />}>
      <CustomersView canWrite={allows("customer:write")} />
    </Suspense>
  );
}
