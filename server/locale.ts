import "server-only";
import { headers } from "next/headers";
import { localeFromAcceptLanguage } from "@/lib/locale-number";

/** The user's locale from the browser's Accept-Language (how they type and read numbers), en-US if none is usable. */
export async function requestLocale(): Promise<string> {
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}
