import { z } from "zod";

export const addDomainInput = z.strictObject({ domain: z.string().trim().min(1, "Enter a domain").max(253, "At most 253 characters") });
export const domainIdInput = z.strictObject({ id: z.uuid() });
