import { z } from "zod";
import { slugSchema } from "@/lib/slug";

export const signUpInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  email: z.email("Enter a valid email").max(320).transform((v) => v.toLowerCase()),
  password: z.string().min(10, "Use at least 10 characters").max(200, "At most 200 characters"),
  /** Where to continue once the address is confirmed (made same-site on the server). */
  next: z.string().max(2000).optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const createWorkspaceInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  slug: slugSchema,
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

export const slugAvailableInput = z.strictObject({ slug: z.string().trim().toLowerCase().max(100) });

export const confirmEmailInput = z.strictObject({ token: z.string().min(20).max(200) });
export const resendVerificationInput = z.strictObject({ next: z.string().max(2000).optional() });
