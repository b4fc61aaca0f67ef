import { afterAll, describe, expect, it } from "vitest";
import { authenticate } from "@/server/auth";
import { nextDeviceCookie, verifyDeviceCookie } from "@/server/device-cookie";
import { ThrottledError } from "@/server/throttle";
import { signUp } from "@/server/modules/account/sign-up";
import { appDb, closeDb } from "../support/fixtures";

afterAll(closeDb);

const rand = () => Math.random().toString(36).slice(2, 10);
const octet = () => Math.floor(Math.random() * 250) + 1;
const PASSWORD = "correct horse battery";

async function newUser(label: string) {
  const email = `${label}-${rand()}@example.test`;
  await signUp(appDb(), { name: label, email, password: PASSWORD }, { clientAddress: null, linkFor: (path) => path });
  return email;
}

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one with the same answer as an unknown email", async () => {
    const email = await newUser("signin");
    expect(await authenticate(email, PASSWORD, { ip: "10.0.0.1" })).toMatchObject({ email });
    expect(await authenticate(email, "wrong password", { ip: "10.0.0.1" })).toBeNull();
    expect(await authenticate(`nobody-${rand()}@example.test`, "whatever", { ip: "10.0.0.1" })).toBeNull();
  });

  it("throttles an email after 5 failures, known or not, even with the right password", async () => {
    const email = await newUser("throttle");
    for (let i = 0; i < 5; i++) expect(await authenticate(email, `wrong-${i}`, { ip: `10.1.0.${i}` })).toBeNull();
    await expect(authenticate(email, PASSWORD, { ip: "10.1.0.99" })).rejects.toBeInstanceOf(ThrottledError);
    const unknown = `ghost-${rand()}@example.test`;
    for (let i = 0; i < 5; i++) expect(await authenticate(unknown, `wrong-${i}`, { ip: `10.2.0.${i}` })).toBeNull();
    await expect(authenticate(unknown, "anything", { ip: "10.2.0.99" })).rejects.toThrow(/Too many sign-in attempts/);
  });

  it("throttles an address after 30 failures across emails", async () => {
    const ip = `10.9.${octet()}.${octet()}`;
    for (let i = 0; i < 30; i++) expect(await authenticate(`spray-${rand()}@example.test`, "guess", { ip })).toBeNull();
    await expect(authenticate(`spray-${rand()}@example.test`, "guess", { ip })).rejects.toBeInstanceOf(ThrottledError);
  });

  it("counts an IPv6 client per /64: rotating addresses inside its prefix does not escape the address limit", async () => {
    const prefix = `2001:db8:${octet().toString(16)}:${octet().toString(16)}`;
    for (let i = 0; i < 30; i++) expect(await authenticate(`spray6-${rand()}@example.test`, "guess", { ip: `${prefix}::${(i + 1).toString(16)}` })).toBeNull();
    await expect(authenticate(`spray6-${rand()}@example.test`, "guess", { ip: `${prefix}:ffff::1` })).rejects.toBeInstanceOf(ThrottledError);
    // The next /64 is another client.
    expect(await authenticate(`spray6-${rand()}@example.test`, "guess", { ip: `2001:db8:${octet().toString(16)}:${(octet() + 256).toString(16)}::1` })).toBeNull();
  });
});

describe("device cookies", () => {
  it("a browser that signed in before still signs in with the right password while the email is locked from elsewhere; a fresh browser is refused", async () => {
    const email = await newUser("owner");
    // The owner signs in once; authorize() then sets this cookie (rememberDevice).
    expect(await authenticate(email, PASSWORD, { ip: "10.3.0.1" })).toMatchObject({ email });
    const device = nextDeviceCookie(null, email);
    // An attacker fails 5 times from rotating addresses: the email is locked, as designed.
    for (let i = 0; i < 5; i++) expect(await authenticate(email, `guess-${i}`, { ip: `10.4.${i}.1` })).toBeNull();
    await expect(authenticate(email, PASSWORD, { ip: "10.3.0.1" })).rejects.toBeInstanceOf(ThrottledError);
    // The owner's browser is judged by its own counter.
    expect(await authenticate(email, PASSWORD, { ip: "10.3.0.1", deviceCookie: device })).toMatchObject({ email });
    // Its success did not clear the lock: without the cookie the attacker is still refused.
    await expect(authenticate(email, PASSWORD, { ip: "10.4.9.1" })).rejects.toBeInstanceOf(ThrottledError);
  });

  it("guessing with a device cookie is throttled per device, and locks only that device", async () => {
    const email = await newUser("device");
    const device = nextDeviceCookie(null, email);
    const other = nextDeviceCookie(null, email);
    for (let i = 0; i < 5; i++) expect(await authenticate(email, `guess-${i}`, { ip: "10.5.0.1", deviceCookie: device })).toBeNull();
    await expect(authenticate(email, PASSWORD, { ip: "10.5.0.1", deviceCookie: device })).rejects.toBeInstanceOf(ThrottledError);
    // Another browser of the owner, and the email itself, are untouched.
    expect(await authenticate(email, PASSWORD, { ip: "10.5.0.2", deviceCookie: other })).toMatchObject({ email });
    expect(await authenticate(email, PASSWORD, { ip: "10.5.0.3" })).toMatchObject({ email });
  });

  it("a device cookie bypasses a locked address too (a shared address with a guesser)", async () => {
    const email = await newUser("nat");
    const device = nextDeviceCookie(null, email);
    const ip = `10.6.${octet()}.${octet()}`;
    for (let i = 0; i < 30; i++) await authenticate(`spray-${rand()}@example.test`, "guess", { ip });
    await expect(authenticate(email, PASSWORD, { ip })).rejects.toBeInstanceOf(ThrottledError);
    expect(await authenticate(email, PASSWORD, { ip, deviceCookie: device })).toMatchObject({ email });
  });

  it("counts for nothing when made for another email, tampered with, or made up", async () => {
    const email = await newUser("victim");
    const attacker = await newUser("attacker");
    for (let i = 0; i < 5; i++) await authenticate(email, `guess-${i}`, { ip: "10.7.0.1" });
    const theirs = nextDeviceCookie(null, attacker);
    const [version, id, tag] = theirs.split(".");
    const tampered = `${version}.${id}.${tag!.slice(0, -1)}${tag!.endsWith("A") ? "B" : "A"}`;
    for (const cookie of [theirs, tampered, `v1.${id}.${"A".repeat(22)}`, "v1.garbage", ""]) {
      expect(verifyDeviceCookie(cookie, email)).toBeNull();
      await expect(authenticate(email, PASSWORD, { ip: "10.7.0.2", deviceCookie: cookie })).rejects.toBeInstanceOf(ThrottledError);
    }
  });

  it("one browser keeps a tag per email it signed in as (up to 5), under one device id", () => {
    const emails = Array.from({ length: 6 }, (_, i) => `person${i}-${rand()}@example.test`);
    let cookie: string | null = null;
    for (const email of emails) cookie = nextDeviceCookie(cookie, email);
    const ids = new Set(emails.map((e) => verifyDeviceCookie(cookie, e)).filter(Boolean));
    expect(ids.size).toBe(1);
    expect(emails.map((e) => verifyDeviceCookie(cookie, e) !== null)).toEqual([false, true, true, true, true, true]);
    // Case does not matter: the email is compared lower-cased, as the throttle keys are.
    expect(verifyDeviceCookie(cookie, emails[5]!.toUpperCase())).not.toBeNull();
  });
});
