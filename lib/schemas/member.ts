import { z } from "zod";
import type { MemberRole } from "@/db/schema/users";
import type { SameMembers } from "./same";

export const memberRoles = ["owner", "admin", "member", "viewer"] as const;
const _rolesMatch: SameMembers<(typeof memberRoles)[number], MemberRole> = true;

/** Lowest to highest: accepting an invitation never lowers a role someone already has. */
export const roleRank: Record<MemberRole, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export const memberRole = z.enum(memberRoles, { error: "Choose a role" });

export const inviteMemberInput = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Enter a valid email address").max(320, "At most 320 characters")),
  role: memberRole,
});
export type InviteMemberInput = z.infer<typeof inviteMemberInput>;

export const updateMemberRoleInput = z.strictObject({ userId: z.uuid(), role: memberRole });
export type UpdateMemberRoleInput = z.infer<typeof updateMemberRoleInput>;

export const memberUserIdInput = z.strictObject({ userId: z.uuid() });

export const invitationIdInput = z.strictObject({ id: z.uuid() });

/** 32 random bytes, base64url: exactly 43 characters. Anything else cannot be a token. */
export const invitationTokenInput = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid") });
