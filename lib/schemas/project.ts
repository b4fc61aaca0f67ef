import { z } from "zod";
import type { ProjectStatus } from "@/db/schema/projects";
import type { SameMembers } from "./same";

export const projectStatuses = ["active", "archived"] as const;
const _statusesMatch: SameMembers<(typeof projectStatuses)[number], ProjectStatus> = true;

const name = z.string().trim().min(1, "Name is required").max(120, "At most 120 characters");
const description = z.string().trim().max(2000, "At most 2000 characters");

export const listProjectsInput = z.strictObject({
  search: z.string().trim().max(100).optional(),
  status: z.enum(projectStatuses).optional(),
  cursor: z.string().max(200).optional(),
  // tRPC's infinite queries send a direction with the cursor; only forward paging exists.
  direction: z.literal("forward").optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListProjectsInput = z.input<typeof listProjectsInput>;

export const projectIdInput = z.strictObject({ id: z.uuid() });

export const createProjectInput = z.strictObject({ name, description: description.default("") });
export type CreateProjectInput = z.infer<typeof createProjectInput>;

export const updateProjectInput = z.strictObject({ id: z.uuid(), name: name.optional(), description: description.optional() });
export type UpdateProjectInput = z.infer<typeof updateProjectInput>;
