import "server-only";
import { env } from "@/lib/env";
import { publicUrl } from "@/lib/urls";
import { secureCookies } from "./auth";

const opts = () => ({ secure: secureCookies(), port: env().PUBLIC_PORT });

export const rootUrl = (path = "/") => publicUrl(env().ROOT_DOMAIN, path, opts());
export const adminUrl = (path = "/") => publicUrl(`admin.${env().ROOT_DOMAIN}`, path, opts());
export const tenantUrl = (slug: string, path = "/") => publicUrl(`${slug}.${env().ROOT_DOMAIN}`, path, opts());
export const hostUrl = (host: string, path = "/") => publicUrl(host, path, opts());
