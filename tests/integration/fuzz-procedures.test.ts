import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { appDb, callerFor, closeDb, createTenant, tenantFingerprint, type TenantFixture } from "../support/fixtures";

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription" } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures);

/** Inputs a hostile or buggy client might send: wrong types, huge values, unknown keys, other tenants' ids. */
function inputArbitrary(foreignIds: string[]) {
  const id = fc.oneof(fc.uuid(), fc.constantFrom(...foreignIds), fc.string({ maxLength: 40 }));
  const scalar = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.integer(),
    fc.double(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: false }),
  );
  const value = fc.oneof(scalar, id, fc.array(scalar, { maxLength: 5 }));
  const keys = fc.constantFrom("id", "name", "description", "limit", "cursor", "search", "status", "items", "currency", "customerName", "slug", "email", "role", "token", "projectId", "__proto__", "tenantId", "image", "invoicePrefix", "paymentTermsDays", "customerId", "billingAddress", "taxId", "defaultCurrency", "includeArchived", "x");
  return fc.oneof(fc.dictionary(keys, value, { maxKeys: 6 }), scalar, fc.array(value, { maxLength: 3 }));
}

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
});
afterAll(closeDb);

describe("fuzzed input to every procedure", () => {
  for (const [path, proc] of procedures) {
    if (proc._def.type === "subscription") continue;
    it(`${path}: never an internal error or a partial write, never another tenant's rows touched`, async () => {
      const foreign = [...b.projectIds, ...b.invoiceIds, b.id, b.users.owner.id];
      const before = await tenantFingerprint(appDb(), b.id);
      await fc.assert(
        fc.asyncProperty(inputArbitrary(foreign), async (input) => {
          let target: unknown = callerFor(a.host, a.users.owner);
          for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
          const mine = await tenantFingerprint(appDb(), a.id);
          try {
            await (target as (i: unknown) => Promise<unknown>)(input);
          } catch (error) {
            // A refused call leaves nothing behind, not even half of a change.
            expect(await tenantFingerprint(appDb(), a.id)).toBe(mine);
            expect(error).toBeInstanceOf(TRPCError);
            expect((error as TRPCError).code, `${path} ${JSON.stringify(input, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`).not.toBe(
              "INTERNAL_SERVER_ERROR",
            );
          }
        }),
        { numRuns: 40, seed: 20261123 },
      );
      expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    });
  }
});
