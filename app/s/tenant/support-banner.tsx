import { serverCaller } from "@/server/api/server-caller";
import { EndSupportButton } from "./end-support-button";

/** Shown on every tenant page while a platform admin views this tenant through a support session. */
export async function SupportBanner() {
  const caller = await serverCaller();
  const session = await caller.support.current().catch(() => null);
  if (!session) return null;
  return (
    <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950" data-testid="support-banner">
      <strong>Support view</strong> ({session.readOnly ? "read-only" : "read and write"}) until {session.expiresAt.toISOString().slice(11, 16)} UTC. Reason:{" "}
      {session.reason}. This visit is recorded in the workspace&apos;s audit log.
      <EndSupportButton />
    </div>
  );
}
