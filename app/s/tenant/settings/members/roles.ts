import type { memberRoles } from "@/lib/schemas/member";

type Role = (typeof memberRoles)[number];

export const roleLabels: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member", viewer: "Viewer" };

export const roleHints: Record<Role, string> = {
  owner: "Everything, including owners and billing",
  admin: "Manages members, API keys and settings",
  member: "Creates and edits projects and invoices",
  viewer: "Reads only",
};
