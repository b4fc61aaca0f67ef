import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/lib/trpc/react";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Canopy", template: "%s · Canopy" }, description: "Projects and invoices for teams" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page carries the middleware's per-request CSP nonce; a page prerendered at build time would
  // have none, and its scripts would be blocked (the 404 page was the only one).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
