import { apiKeyScopeLabels, isApiKeyScope } from "@/lib/api-key-scopes";
import { clip, itemLine, listWords, money, partsText, text, when, type SentencePart } from "@/lib/audit-values";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import type { AuditAction, AuditEntityType } from "@/lib/schemas/audit";

/** One entry of `audit.list`, as far as a sentence needs it. */
export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string | null;
  actorUserId: string | null;
  actorName: string | null;
  actorApiKeyId: string | null;
  actorApiKeyName: string | null;
  /** A platform admin acting through a support session. */
  actorIsSupport: boolean;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** The subject as it is now; null when it no longer exists. */
  subject: { name: string | null; number: number | null; numberPrefix?: string | null; currency: string | null } | null;
  causeApiKeyName: string | null;
};

/** Who did it: a member (the audit page links the name to a filter), or words. */
export type AuditActor = { kind: "member"; userId: string; name: string } | { kind: "words"; text: string };
export type AuditSentence = { actor: AuditActor; parts: SentencePart[]; details: string[] };

const field = (e: AuditEntry, key: string): unknown => e.after?.[key] ?? e.before?.[key];
const changed = (e: AuditEntry, key: string) => !!e.before && !!e.after && key in e.after && JSON.stringify(e.before[key]) !== JSON.stringify(e.after[key]);
const quoteKey = (name: string | null | undefined) => (name ? `API key ‘${name}’` : "an API key");

function actorOf(e: AuditEntry): AuditActor {
  if (e.actorApiKeyId) return { kind: "words", text: e.actorApiKeyName ? quoteKey(e.actorApiKeyName) : "An API key" };
  if (e.actorIsSupport || e.action.startsWith("support.")) return { kind: "words", text: "Canopy support" };
  if (e.actorUserId) return e.actorName ? { kind: "member", userId: e.actorUserId, name: e.actorName } : { kind: "words", text: "A former member" };
  return { kind: "words", text: "Canopy" };
}

/** The subject, linked to its page while it exists (a deleted one is named without a link). */
function subjectPart(e: AuditEntry, name: string, page: string | null): SentencePart {
  const href = page && e.entityId && e.subject && !e.action.endsWith(".delete") ? `${page}/${e.entityId}` : null;
  return { text: name, href };
}

/** "invoice INV-000042" (the number linked), or "an invoice" when the entry never learned it. */
function invoiceRef(e: AuditEntry, kind = "invoice"): SentencePart[] {
  const number = field(e, "number");
  const n = typeof number === "number" ? number : e.subject?.number;
  const prefix = field(e, "numberPrefix") ?? e.subject?.numberPrefix;
  return n ? [`${kind} `, subjectPart(e, formatInvoiceNumber(n, typeof prefix === "string" ? prefix : undefined), "/invoices")] : [subjectPart(e, `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`, "/invoices")];
}
const invoiceCurrency = (e: AuditEntry) => field(e, "currency") ?? e.subject?.currency;

function projectRef(e: AuditEntry): SentencePart[] {
  const name = text(e.after?.name) ?? text(e.before?.name) ?? e.subject?.name;
  return name ? ["project ", subjectPart(e, name, "/projects")] : [subjectPart(e, "a project", "/projects")];
}

function customerRef(e: AuditEntry): SentencePart[] {
  const name = text(e.after?.name) ?? text(e.before?.name) ?? e.subject?.name;
  return name ? ["customer ", subjectPart(e, name, "/customers")] : [subjectPart(e, "a customer", "/customers")];
}

const customerFieldNames: Record<string, string> = {
  email: "Email",
  billingAddress: "Billing address",
  taxId: "Tax ID",
  defaultCurrency: "Default currency",
};

/** "Label: “old” → “new”" for each named field that changed, multi-line values on one line. */
function quotedChanges(e: AuditEntry, names: Record<string, string>): string[] {
  if (!e.before || !e.after) return [];
  const shown = (v: unknown) => (text(v) ? `“${clip(String(v).replace(/\n+/g, ", "))}”` : "none");
  return Object.entries(names)
    .filter(([key]) => changed(e, key))
    .map(([key, label]) => `${label}: ${shown(e.before?.[key])} → ${shown(e.after?.[key])}`);
}

const customerWords = (e: AuditEntry) => (text(field(e, "customerName")) ? ` for ${text(field(e, "customerName"))}` : "");
const emailOf = (e: AuditEntry) => text(field(e, "email"));
const asRole = (v: unknown, lead: string) => (text(v) ? `${lead}${String(v)}` : "");
const domainOf = (e: AuditEntry) => (text(field(e, "domain")) ? `the custom domain ${String(field(e, "domain"))}` : "a custom domain");
const ssoDomainOf = (e: AuditEntry) => (text(field(e, "domain")) ? `the email domain ${String(field(e, "domain"))}` : "an email domain");
const ssoFieldNames: Record<string, string> = { issuer: "Issuer", clientId: "Client ID", defaultRole: "Role for new members", clientSecret: "Client secret" };
function ssoChanges(e: AuditEntry): string[] {
  const out: string[] = [];
  for (const [key, label] of Object.entries(ssoFieldNames)) {
    const after = e.after?.[key];
    if (after === undefined) continue;
    const before = e.before?.[key];
    // The entry records only whether the secret was set or replaced, never the secret.
    if (key === "clientSecret") {
      out.push(`${label}: ${after === "replaced" ? "replaced" : "set"}`);
      continue;
    }
    const was = text(before);
    out.push(was ? `${label}: “${was}” → “${text(after) ?? ""}”` : `${label}: “${text(after) ?? ""}”`);
  }
  return out;
}
const personOf = (e: AuditEntry) => e.subject?.name ?? emailOf(e) ?? "a member";
const causeWords = (e: AuditEntry, lead: string) =>
  typeof field(e, "endedByRevokingApiKey") === "string" ? `, ${lead} ${quoteKey(e.causeApiKeyName)} was revoked` : "";

const invoiceFieldNames: Record<string, string> = {
  customerName: "Customer",
  customerEmail: "Customer email",
  customerAddress: "Customer address",
  customerTaxId: "Customer tax ID",
  currency: "Currency",
  issueDate: "Issue date",
  dueDate: "Due date",
  total: "Total",
  status: "Status",
};
const invoiceFieldOrder = ["customerId", "customerName", "customerEmail", "currency", "issueDate", "dueDate", "projectId", "items", "total"];
const quietInvoiceFields = new Set(["number", "subtotal", "taxTotal", "id", "tenantId", "createdAt", "updatedAt", "overdue", "sentAt", "paidAt", "voidedAt"]);

/** One line per changed field of a draft edit, in words. */
function invoiceChanges(e: AuditEntry): string[] {
  if (!e.before || !e.after) return [];
  const currency = invoiceCurrency(e);
  const beforeCurrency = e.before.currency ?? currency;
  const lines: string[] = [];
  // jsonb keeps keys in its own order: read them in the form's order instead.
  const keys = [...new Set([...invoiceFieldOrder, ...Object.keys(e.after).sort()])];
  for (const key of keys) {
    if (!changed(e, key) || quietInvoiceFields.has(key)) continue;
    const from = e.before[key];
    const to = e.after[key];
    if (key === "items") {
      const describe = (items: unknown, cur: unknown) => (Array.isArray(items) && items.length ? items.map((i) => itemLine(i, cur)).join("; ") : "none");
      lines.push(`Lines were: ${describe(from, beforeCurrency)}`, `Lines now: ${describe(to, currency)}`);
    } else if (key === "total") {
      lines.push(`Total: ${money(from, beforeCurrency)} → ${money(to, currency)}`);
    } else if (key === "issueDate" || key === "dueDate") {
      lines.push(`${invoiceFieldNames[key]}: ${when(from)} → ${when(to)}`);
    } else if (key === "customerId") {
      lines.push(to ? (from ? "Linked to another saved customer" : "Linked to a saved customer") : "No longer linked to a saved customer");
    } else if (key === "projectId") {
      lines.push(to ? (from ? "Moved to another project" : "Linked to a project") : "No longer linked to a project");
    } else {
      lines.push(`${invoiceFieldNames[key] ?? key}: ${text(from) ?? "none"} → ${text(to) ?? "none"}`);
    }
  }
  return lines;
}

function projectChanges(e: AuditEntry): string[] {
  if (!e.before || !e.after || !changed(e, "description")) return [];
  const d = (v: unknown) => (text(v) ? `“${clip(String(v))}”` : "none");
  return [`Description: ${d(e.before.description)} → ${d(e.after.description)}`];
}

const paymentMethodWords: Record<string, string> = { bank_transfer: "bank transfer", card: "card", cash: "cash", cheque: "cheque", other: "another method" };

/** ", paid on 3 Nov 2026 by bank transfer" from what the entry recorded (older entries recorded neither). */
function paymentWords(after: Record<string, unknown> | null): string {
  const method = typeof after?.paymentMethod === "string" ? paymentMethodWords[after.paymentMethod] : undefined;
  const day = after?.paidOn ? ` on ${when(after.paidOn)}` : "";
  return day || method ? `, paid${day}${method ? ` by ${method}` : ""}` : "";
}

const companyFieldNames: Record<string, string> = {
  legalName: "Legal name",
  postalAddress: "Address",
  taxId: "Tax ID",
  numberPrefix: "Invoice number prefix",
  defaultCurrency: "Default currency",
  paymentTermsDays: "Payment terms (days)",
};


type Sentence = { parts: SentencePart[]; details?: string[] };

/** Security events of a member's account (server/security-events.ts): the browser and host they came from. */
function accountEventDetails(e: AuditEntry): string[] {
  return [text(field(e, "device")) ? `Browser: ${String(field(e, "device"))}` : null, text(field(e, "host")) ? `At: ${String(field(e, "host"))}` : null].filter(
    (line): line is string => line !== null,
  );
}

/** One sentence per action the app writes: a new action without one fails to compile (and a unit test). */
const sentences: Record<AuditAction, (e: AuditEntry) => Sentence> = {
  "project.create": (e) => ({ parts: ["created ", ...projectRef(e)] }),
  "project.update": (e) =>
    changed(e, "name")
      ? { parts: [`renamed project ${text(e.before?.name) ?? "a project"} to `, subjectPart(e, text(e.after?.name) ?? "a new name", "/projects")], details: projectChanges(e) }
      : { parts: ["edited ", ...projectRef(e)], details: projectChanges(e) },
  "project.archive": (e) => ({ parts: ["archived ", ...projectRef(e)] }),
  "project.restore": (e) => ({ parts: ["restored ", ...projectRef(e)] }),
  "project.delete": (e) => ({ parts: ["deleted ", ...projectRef(e)] }),

  "invoice.create": (e) => ({
    parts: ["created ", ...invoiceRef(e), `${customerWords(e)}${e.after?.total !== undefined ? ` (${money(e.after.total, invoiceCurrency(e))})` : ""}`],
  }),
  "invoice.update": (e) => ({ parts: ["edited ", ...invoiceRef(e, "draft invoice")], details: invoiceChanges(e) }),
  "invoice.send": (e) => ({ parts: ["sent ", ...invoiceRef(e), text(field(e, "customerEmail")) ? ` to ${text(field(e, "customerEmail"))}` : ""] }),
  "invoice.markPaid": (e) => ({ parts: ["marked ", ...invoiceRef(e), " as paid", paymentWords(e.after)] }),
  "invoice.markUnpaid": (e) => ({ parts: ["marked ", ...invoiceRef(e), " as unpaid", e.before?.paidOn ? `, undoing the payment of ${when(e.before.paidOn)}` : ""] }),
  "invoice.void": (e) => ({ parts: ["voided ", ...invoiceRef(e)] }),
  "invoice.delete": (e) => ({ parts: ["deleted ", ...invoiceRef(e, "draft invoice"), customerWords(e)] }),
  "invoice.publicLink.issue": (e) => ({ parts: [field(e, "replaced") === true ? "issued a new public link to " : "issued a public link to ", ...invoiceRef(e), field(e, "replaced") === true ? ", ending the previous one" : ""] }),
  "invoice.publicLink.revoke": (e) => ({ parts: ["revoked the public link to ", ...invoiceRef(e)] }),

  "customer.create": (e) => ({ parts: ["added ", ...customerRef(e)] }),
  "customer.update": (e) =>
    changed(e, "name")
      ? { parts: [`renamed customer ${text(e.before?.name) ?? "a customer"} to `, subjectPart(e, text(e.after?.name) ?? "a new name", "/customers")], details: quotedChanges(e, customerFieldNames) }
      : { parts: ["edited ", ...customerRef(e)], details: quotedChanges(e, customerFieldNames) },
  "customer.archive": (e) => ({ parts: ["archived ", ...customerRef(e)] }),

  "invitation.create": (e) => ({ parts: [`invited ${emailOf(e) ?? "someone"} to join${asRole(field(e, "role"), " as ")}`] }),
  "invitation.resend": (e) => ({ parts: [emailOf(e) ? `sent the invitation to ${emailOf(e)} again` : "sent an invitation again"] }),
  "invitation.revoke": (e) => ({ parts: [`withdrew the invitation to ${emailOf(e) ?? "someone"}${causeWords(e, "because")}`] }),
  "invitation.accept": (e) => ({ parts: [`joined the workspace${asRole(field(e, "role"), " as ")}${emailOf(e) ? `, accepting the invitation to ${emailOf(e)}` : ""}`] }),

  "member.updateRole": (e) => ({ parts: [`changed the role of ${personOf(e)}${asRole(e.before?.role, " from ")}${asRole(e.after?.role, " to ")}`] }),
  "member.remove": (e) => ({ parts: [`removed ${personOf(e)}${text(field(e, "role")) ? ` (${String(field(e, "role"))})` : ""} from the workspace${causeWords(e, "because")}`] }),
  "member.removeSkipped": (e) => ({
    parts: [`kept ${personOf(e)}${text(field(e, "role")) ? ` (${String(field(e, "role"))})` : ""} in the workspace${text(field(e, "reason")) ? `: ${String(field(e, "reason"))}` : ""}${causeWords(e, "when")}`],
  }),

  "apiKey.create": (e) => {
    const scopes = Array.isArray(e.after?.scopes) ? e.after.scopes.filter(isApiKeyScope).map((s) => apiKeyScopeLabels[s].label.toLowerCase()) : [];
    const expires = !e.after ? "" : e.after.expiresAt ? `, expiring ${when(e.after.expiresAt)}` : ", never expiring";
    return { parts: [`created ${quoteKey(text(field(e, "name")) ?? e.subject?.name)}${scopes.length ? ` to ${listWords(scopes)}` : ""}${expires}`] };
  },
  "apiKey.revoke": (e) => ({ parts: [`revoked ${quoteKey(text(field(e, "name")) ?? e.subject?.name)}${causeWords(e, "because")}`] }),

  "domain.add": (e) => ({ parts: [`added ${domainOf(e)}`] }),
  "domain.verify": (e) => ({ parts: [`verified ${domainOf(e)}`] }),
  "domain.remove": (e) => ({ parts: [`removed ${domainOf(e)}`] }),
  "domain.disable": (e) => ({
    parts: [`turned off ${domainOf(e)} because its DNS records stopped checking out`],
    details: Array.isArray(e.after?.problems) ? e.after.problems.filter((p): p is string => typeof p === "string") : [],
  }),
  "domain.reenable": (e) => ({ parts: [`turned ${domainOf(e)} back on: its DNS records check out again`] }),

  "tenant.settings.update": (e) => ({ parts: ["updated the company details"], details: quotedChanges(e, companyFieldNames) }),
  "tenant.logo.set": () => ({ parts: ["uploaded a new logo"] }),
  "tenant.logo.remove": () => ({ parts: ["removed the logo"] }),
  "tenant.create": (e) => ({ parts: [text(field(e, "name")) ? `created the workspace ${text(field(e, "name"))}` : "created the workspace"] }),
  "support.start": (e) => ({
    parts: [
      `opened a ${e.after?.readOnly === false ? "read-write" : "read-only"} support session${e.after?.expiresAt ? ` until ${when(e.after.expiresAt)}` : ""}${
        text(e.after?.reason) ? `, giving the reason “${clip(String(e.after?.reason), 200)}”` : ""
      }`,
    ],
  }),
  "support.end": () => ({ parts: ["ended the support session"] }),
  "account.passwordChange": (e) => ({ parts: ["changed their Canopy password"], details: accountEventDetails(e) }),
  "account.passwordReset": (e) => ({ parts: ["reset their Canopy password with an emailed link"], details: accountEventDetails(e) }),
  "account.emailChange": (e) => ({ parts: ["changed the email address of their Canopy account"], details: accountEventDetails(e) }),
  "account.newDeviceSignIn": (e) => ({ parts: ["signed in to Canopy from a new browser"], details: accountEventDetails(e) }),
  "sso.configure": (e) => ({ parts: [e.before ? "changed the single sign-on settings" : "set up single sign-on"], details: ssoChanges(e) }),
  "sso.remove": (e) => ({ parts: [text(field(e, "issuer")) ? `turned off single sign-on with ${text(field(e, "issuer"))}` : "turned off single sign-on"] }),
  "sso.require": (e) => ({ parts: [e.after?.required === false ? "stopped requiring single sign-on" : "required single sign-on for members in the workspace's email domains"] }),
  "sso.domain.add": (e) => ({ parts: [`claimed ${ssoDomainOf(e)} for single sign-on`] }),
  "sso.domain.verify": (e) => ({ parts: [`verified ${ssoDomainOf(e)} for single sign-on`] }),
  "sso.domain.remove": (e) => ({ parts: [`gave up ${ssoDomainOf(e)} for single sign-on`] }),
  "member.joinViaSso": (e) => ({
    parts: [`joined the workspace through single sign-on${asRole(field(e, "role"), " as ")}${e.after?.newAccount === true ? ", with a new Canopy account" : ""}`],
  }),
  "account.mfaEnable": (e) => ({ parts: ["turned on two-factor authentication for their Canopy account"], details: accountEventDetails(e) }),
  "account.mfaDisable": (e) => ({ parts: ["removed two-factor authentication from their Canopy account"], details: accountEventDetails(e) }),
  "account.mfaRecoveryCodeUse": (e) => ({ parts: ["signed in to Canopy with a recovery code instead of their authenticator app"], details: accountEventDetails(e) }),
  "tenant.mfaRequirement": (e) => ({
    parts: [e.after?.mfaRequired === false ? "stopped requiring two-factor authentication for members" : "required two-factor authentication for every member"],
  }),
};

const isKnown = (action: string): action is AuditAction => Object.hasOwn(sentences, action);

/** An entry as a sentence in plain words: who, what, which object (linked while it exists), and the changes. */
export function describeEntry(e: AuditEntry): AuditSentence {
  const s: Sentence = isKnown(e.action) ? sentences[e.action](e) : { parts: [`made a change (${e.action.replace(/[._]/g, " ")})`] };
  return { actor: actorOf(e), parts: s.parts.filter((p) => p !== ""), details: s.details ?? [] };
}

export const actorText = (a: AuditActor) => (a.kind === "member" ? a.name : a.text);

/** The whole sentence as plain text. */
export const sentenceText = (s: AuditSentence) => `${actorText(s.actor)} ${partsText(s.parts)}`;

/** Filter-menu words for each action. */
export const actionLabels: Record<AuditAction, string> = {
  "project.create": "Project created",
  "project.update": "Project edited",
  "project.archive": "Project archived",
  "project.restore": "Project restored",
  "project.delete": "Project deleted",
  "invoice.create": "Invoice created",
  "invoice.update": "Invoice edited",
  "invoice.send": "Invoice sent",
  "invoice.markPaid": "Invoice marked paid",
  "invoice.markUnpaid": "Invoice marked unpaid",
  "invoice.void": "Invoice voided",
  "invoice.delete": "Invoice deleted",
  "customer.create": "Customer added",
  "customer.update": "Customer edited",
  "customer.archive": "Customer archived",
  "invoice.publicLink.issue": "Invoice link issued",
  "invoice.publicLink.revoke": "Invoice link revoked",
  "invitation.create": "Invitation sent",
  "invitation.resend": "Invitation sent again",
  "invitation.revoke": "Invitation withdrawn",
  "invitation.accept": "Invitation accepted",
  "member.updateRole": "Member role changed",
  "member.remove": "Member removed",
  "member.removeSkipped": "Member kept",
  "apiKey.create": "API key created",
  "apiKey.revoke": "API key revoked",
  "domain.add": "Domain added",
  "domain.verify": "Domain verified",
  "domain.remove": "Domain removed",
  "domain.disable": "Domain turned off",
  "domain.reenable": "Domain turned back on",
  "tenant.create": "Workspace created",
  "tenant.settings.update": "Company details updated",
  "tenant.logo.set": "Logo uploaded",
  "tenant.logo.remove": "Logo removed",
  "support.start": "Support session opened",
  "support.end": "Support session ended",
  "account.passwordChange": "Member changed password",
  "account.passwordReset": "Member reset password",
  "account.emailChange": "Member changed email address",
  "account.newDeviceSignIn": "Member signed in from a new browser",
  "sso.configure": "Single sign-on set up or changed",
  "sso.remove": "Single sign-on turned off",
  "sso.require": "Single sign-on requirement changed",
  "sso.domain.add": "SSO email domain claimed",
  "sso.domain.verify": "SSO email domain verified",
  "sso.domain.remove": "SSO email domain removed",
  "member.joinViaSso": "Member joined through single sign-on",
  "account.mfaEnable": "Member turned on two-factor authentication",
  "account.mfaDisable": "Member removed two-factor authentication",
  "account.mfaRecoveryCodeUse": "Member used a recovery code",
  "tenant.mfaRequirement": "Two-factor requirement changed",
};

export const entityTypeLabels: Record<AuditEntityType, string> = {
  project: "Projects",
  invoice: "Invoices",
  customer: "Customers",
  member: "Members",
  invitation: "Invitations",
  api_key: "API keys",
  domain: "Custom domains",
  tenant: "Workspace",
  support_session: "Support sessions",
  sso_domain: "Single sign-on domains",
};
