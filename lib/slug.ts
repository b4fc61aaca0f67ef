import { z } from "zod";
import { RESERVED_SLUGS, SLUG } from "./host";

/** Why a slug cannot be used, or null. Availability is checked separately against the directory. */
export function slugProblem(slug: string): string | null {
  if (slug.length < 3 || slug.length > 40) return "Use 3 to 40 characters";
  if (!/^[a-z0-9-]+$/.test(slug)) return "Use lowercase letters, digits and hyphens only";
  if (slug.startsWith("-") || slug.endsWith("-")) return "Cannot start or end with a hyphen";
  if (slug.startsWith("xn--")) return "Cannot start with xn--";
  if (!SLUG.test(slug)) return "Not a valid address";
  if (RESERVED_SLUGS.has(slug)) return "That address is reserved";
  return null;
}

/** A workspace address as typed: trimmed, lowercased, and refused with the reason it is not usable. */
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((value, ctx) => {
    const problem = slugProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
