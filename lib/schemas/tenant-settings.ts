import { z } from "zod";
import { DEFAULT_INVOICE_PREFIX, INVOICE_PREFIX_PATTERN } from "@/lib/invoice-number";
import { currencyCodes } from "./invoice";

/** What a tenant that never saved its company details gets. */
export const defaultTenantSettings = {
  legalName: null,
  postalAddress: null,
  taxId: null,
  invoicePrefix: DEFAULT_INVOICE_PREFIX,
  defaultCurrency: "USD",
  paymentTermsDays: 30,
} as const;

export const MAX_PAYMENT_TERMS_DAYS = 365;

/** Blank means "not set": stored as null, so the invoice shows nothing rather than an empty line. */
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

/** A postal address as printed on an invoice: one line per line. */
export const optionalAddress = () => optionalText(500, "The address").refine((v) => v === null || v.split("\n").length <= 8, "The address can have at most 8 lines");
export const optionalTaxId = () =>
  optionalText(50, "The tax ID").refine((v) => v === null || /^[\p{L}\p{N} .\-/]+$/u.test(v), "Use letters, digits, spaces, dots, dashes or slashes");

export const updateTenantSettingsInput = z.strictObject({
  legalName: optionalText(200, "The legal name"),
  postalAddress: optionalAddress(),
  taxId: optionalTaxId(),
  invoicePrefix: z
    .string()
    .trim()
    .min(1, "Enter a prefix such as INV-")
    .max(10, "The prefix can be at most 10 characters")
    .regex(INVOICE_PREFIX_PATTERN, "Use letters, digits and dashes only"),
  defaultCurrency: z.enum(currencyCodes, { error: "Choose a currency" }),
  paymentTermsDays: z
    .number({ error: "Enter a number of days" })
    .int("Enter whole days")
    .min(0, "Payment terms cannot be negative")
    .max(MAX_PAYMENT_TERMS_DAYS, `At most ${MAX_PAYMENT_TERMS_DAYS} days`),
});
export type UpdateTenantSettingsInput = z.infer<typeof updateTenantSettingsInput>;
export type TenantSettingsFormValues = z.input<typeof updateTenantSettingsInput>;

/** 512 KB: plenty for a logo shown at 48 px high and on an invoice, small enough to serve from the database. */
export const MAX_LOGO_BYTES = 512 * 1024;
const MAX_LOGO_BASE64 = Math.ceil(MAX_LOGO_BYTES / 3) * 4;
export const logoTooBig = "The logo can be at most 512 KB";
export const logoWrongType = "Upload a PNG, JPEG or WebP image (SVG and other formats are not accepted)";

export const logoContentTypes = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoContentType = (typeof logoContentTypes)[number];

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);

/**
 * The image type from the file's own first bytes, never from the name or the browser's claimed
 * type: an upload labelled image/png that is really HTML or SVG must not be stored as an image.
 */
export function sniffLogoType(bytes: Uint8Array): LogoContentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

function decodeBase64(value: string): Uint8Array {
  const text = atob(value);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The logo travels as base64 in the tRPC body; the file's bytes decide what it is. */
export const setLogoInput = z.strictObject({
  image: z
    .base64({ error: logoWrongType })
    .min(1, logoWrongType)
    // Checked on the text before decoding, so an oversized upload costs no decoding.
    .max(MAX_LOGO_BASE64, logoTooBig)
    .transform(decodeBase64)
    .refine((bytes) => bytes.length <= MAX_LOGO_BYTES, logoTooBig)
    .transform((bytes, ctx) => {
      const contentType = sniffLogoType(bytes);
      if (!contentType) {
        ctx.addIssue({ code: "custom", message: logoWrongType });
        return z.NEVER;
      }
      return { bytes, contentType };
    }),
});
export type SetLogoInput = z.infer<typeof setLogoInput>;

/** Whether every member of the workspace must have a second factor. */
export const setMfaRequirementInput = z.strictObject({ required: z.boolean() });
export type SetMfaRequirementInput = z.infer<typeof setMfaRequirementInput>;
