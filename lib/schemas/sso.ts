import { z } from "zod";

/** Roles a first SSO sign-in may grant; never owner (ownership is given by an owner, by hand). */
export const ssoDefaultRoles = ["admin", "member", "viewer"] as const;
export type SsoDefaultRole = (typeof ssoDefaultRoles)[number];

export const saveSsoInput = z.strictObject({
  issuer: z.string().trim().min(1, "Enter the issuer URL").max(500, "At most 500 characters"),
  clientId: z.string().trim().min(1, "Enter the client ID").max(500, "At most 500 characters"),
  /** Blank keeps the stored secret (it is never shown again). */
  clientSecret: z.string().max(2000, "At most 2000 characters"),
  defaultRole: z.enum(ssoDefaultRoles, { error: "Choose a role" }),
});
export type SaveSsoInput = z.infer<typeof saveSsoInput>;

export const setSsoRequiredInput = z.strictObject({ required: z.boolean() });
export const ssoDomainInput = z.strictObject({ domain: z.string().trim().min(1, "Enter a domain").max(253, "At most 253 characters") });
export const ssoDomainIdInput = z.strictObject({ id: z.uuid() });

/** The sign-in page's POST to /sso/begin: the work address whose domain names the workspace. */
export const ssoBeginInput = z.object({ email: z.string().max(320) });
