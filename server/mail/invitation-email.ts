import type { MemberRole } from "@/db/schema/users";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function invitationEmail(opts: { tenantName: string; role: MemberRole; url: string; expiresAt: Date }) {
  const until = opts.expiresAt.toUTCString();
  const subject = `You're invited to ${opts.tenantName} on Canopy`;
  const text = [
    `You have been invited to join ${opts.tenantName} on Canopy as ${opts.role === "admin" ? "an admin" : `a ${opts.role}`}.`,
    "",
    `Accept the invitation: ${opts.url}`,
    "",
    `The link works once and expires on ${until}. If you did not expect this email, ignore it.`,
  ].join("\n");
  const html = `<p>You have been invited to join <strong>${escapeHtml(opts.tenantName)}</strong> on Canopy as ${escapeHtml(opts.role)}.</p>
<p><a href="${escapeHtml(opts.url)}">Accept the invitation</a></p>
<p>The link works once and expires on ${escapeHtml(until)}. If you did not expect this email, ignore it.</p>`;
  return { subject, text, html };
}
