import { afterAll, describe, expect, it } from "vitest";
import { authenticate } from "@/server/auth";
import { ThrottledError } from "@/server/throttle";
import { signUp } from "@/server/routers/account/sign-up";
import { appDb, closeDb } from "../support/fixtures";

afterAll(closeDb);

const rand = () => Math.random().toString(36).slice(2, 10);

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one with the same answer as an unknown email", async () => {
    const email = `signin-${rand()}@example.test`;
    await signUp(appDb(), { name: "Sign In", email, password: "correct horse battery" }, { clientAddress: null, linkFor: (p) => p });
    expect(await authenticate(email, "correct horse battery", "10.0.0.1")).toMatchObject({ email });
    expect(await authenticate(email, "wrong password", "10.0.0.1")).toBeNull();
    expect(await authenticate(`nobody-${rand()}@example.test`, "whatever", "10.0.0.1")).toBeNull();
  });

  it("throttles an email after 5 failures, known or not, even with the right password", async () => {
    const email = `throttle-${rand()}@example.test`;
    await signUp(appDb(), { name: "Throttle", email, password: "correct horse battery" }, { clientAddress: null, linkFor: (p) => p });
    for (let i = 0; i < 5; i++) expect(await authenticate(email, `wrong-${i}`, `10.1.0.${i}`)).toBeNull();
    await expect(authenticate(email, "correct horse battery", "10.1.0.99")).rejects.toBeInstanceOf(ThrottledError);
    const unknown = `ghost-${rand()}@example.test`;
    for (let i = 0; i < 5; i++) expect(await authenticate(unknown, `wrong-${i}`, `10.2.0.${i}`)).toBeNull();
    await expect(authenticate(unknown, "anything", "10.2.0.99")).rejects.toThrow(/Too many sign-in attempts/);
  });

  it("throttles an IP after 30 failures across emails", async () => {
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 30; i++) expect(await authenticate(`spray-${rand()}@example.test`, "guess", ip)).toBeNull();
    await expect(authenticate(`spray-${rand()}@example.test`, "guess", ip)).rejects.toBeInstanceOf(ThrottledError);
  });
});
