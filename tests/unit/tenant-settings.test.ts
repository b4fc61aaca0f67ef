import { describe, expect, it } from "vitest";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { logoTooBig, logoWrongType, MAX_LOGO_BYTES, setLogoInput, sniffLogoType, updateTenantSettingsInput } from "@/lib/schemas/tenant-settings";

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("formatInvoiceNumber", () => {
  it("keeps INV- for invoices issued before any prefix was chosen", () => {
    expect(formatInvoiceNumber(42)).toBe("INV-000042");
  });
  it("uses the prefix the invoice was issued under", () => {
    expect(formatInvoiceNumber(42, "ACME-")).toBe("ACME-000042");
    expect(formatInvoiceNumber(1234567, "2026")).toBe("20261234567");
  });
});

describe("the invoice prefix", () => {
  const base = { legalName: null, postalAddress: null, taxId: null, defaultCurrency: "USD", paymentTermsDays: 30 };
  const valid = (invoicePrefix: string) => updateTenantSettingsInput.safeParse({ ...base, invoicePrefix }).success;
  it("takes letters, digits and dashes, up to 10", () => {
    for (const p of ["INV-", "A", "acme-2026-", "1234567890"]) expect(valid(p), p).toBe(true);
  });
  it("refuses anything else", () => {
    for (const p of ["", "   ", "INV 1", "INV_", "INV/", "ÄB", "12345678901", "<b>", "IN\nV"]) expect(valid(p), JSON.stringify(p)).toBe(false);
  });
});

describe("logo sniffing", () => {
  it("knows PNG, JPEG and WebP by their first bytes", () => {
    expect(sniffLogoType(Uint8Array.from([...PNG_SIGNATURE, 0]))).toBe("image/png");
    expect(sniffLogoType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffLogoType(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 "))).toBe("image/webp");
  });
  it("refuses SVG, GIF, HTML and a RIFF that is not WebP", () => {
    for (const text of ['<svg xmlns="http://www.w3.org/2000/svg"/>', "GIF89a", "<!doctype html>", "RIFF\u0000\u0000\u0000\u0000WAVE"]) {
      expect(sniffLogoType(new TextEncoder().encode(text)), text).toBeNull();
    }
  });
  it("goes by the bytes in the input schema: an SVG is refused, an oversized file too", () => {
    const svg = setLogoInput.safeParse({ image: b64("<svg><script>alert(1)</script></svg>") });
    expect(svg.error?.issues[0]?.message).toBe(logoWrongType);
    const big = new Uint8Array(MAX_LOGO_BYTES + 1);
    big.set(PNG_SIGNATURE);
    expect(setLogoInput.safeParse({ image: b64(big) }).error?.issues[0]?.message).toBe(logoTooBig);
    const ok = setLogoInput.parse({ image: b64(Uint8Array.from([...PNG_SIGNATURE, 1, 2, 3])) });
    expect(ok.image.contentType).toBe("image/png");
  });
});
