import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { serverCaller } from "@/server/api/server-caller";
import { PROJECT_CHOICES_FIRST, type ProjectChoices } from "../_components/project-choices";

type Caller = Awaited<ReturnType<typeof serverCaller>>;

/**
 * The picker's first page of projects, and the selected one read on its own when it is not on that
 * page (an invoice of project no. 101, or `?project=` from a project's page). A selected id that is
 * not one of this tenant's projects is dropped.
 */
export async function projectChoices(caller: Caller, { status, selectedId }: { status?: "active"; selectedId?: string | null }): Promise<ProjectChoices> {
  const first = await caller.project.list({ status, limit: PROJECT_CHOICES_FIRST });
  const listed = selectedId ? first.items.find((p) => p.id === selectedId) : undefined;
  let selected = listed ?? null;
  if (selectedId && !listed && z.uuid().safeParse(selectedId).success) {
    selected = await caller.project.byId({ id: selectedId }).catch((error: unknown) => {
      if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
      throw error;
    });
  }
  const pick = (p: { id: string; name: string; status: string }) => ({ id: p.id, name: p.name, status: p.status });
  return { items: first.items.map(pick), more: first.nextCursor != null, selected: selected ? pick(selected) : null };
}
