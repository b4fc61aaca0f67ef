import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the session cookie's Domain depends on the Host.
async function handler(req: NextRequest, ctx: RouteContext) {
  return NextAuth(req, ctx, authOptions(req.headers.get("host"), req.headers.get("user-agent"))) as Promise<Response>;
}

export { handler as GET, handler as POST };
