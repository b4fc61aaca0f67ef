"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { format, formatDistanceToNow } from "date-fns";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { apiKeyScopeLabels, apiKeyScopes, isApiKeyScope } from "@/lib/api-key-scopes";
import { apiKeyExpiryDays, createApiKeyInput } from "@/lib/schemas/api-key";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { FormError, InputField, SelectField } from "../../_components/form";
import { describeError, showServerErrors } from "../../_components/trpc-errors";
import { EmptyState, Skeleton, buttonClass } from "../../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: "active" | "expired" | "revoked";
};

const ago = (d: Date) => formatDistanceToNow(d, { addSuffix: true });
const day = (d: Date) => format(d, "d MMM yyyy");
const scopeLabel = (s: string) => (isApiKeyScope(s) ? apiKeyScopeLabels[s].label : s);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const statusStyles: Record<ApiKey["status"], string> = {
  active: "bg-emerald-50 text-emerald-800",
  expired: "bg-amber-50 text-amber-900",
  revoked: "bg-slate-100 text-slate-600",
};

export function ApiKeysView() {
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKey.list.queryOptions());
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  return (
    <div className="mt-6 space-y-8">
      <section aria-labelledby="create-key-heading" className="rounded-md border border-slate-200 bg-white p-4">
        <h2 id="create-key-heading" className="mb-3 font-semibold">
          Create a key
        </h2>
        {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : <CreateKeyForm onCreated={setCreated} />}
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="font-semibold">
          Keys
        </h2>
        {keys.isPending ? (
          <div role="status" className="mt-3 space-y-2">
            <span className="sr-only">Loading…</span>
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : keys.isError ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {describeError(keys.error).message}
          </p>
        ) : keys.data.length === 0 ? (
          <EmptyState title="No API keys yet">Create one above for a script or an integration.</EmptyState>
        ) : (
          <div className="mt-3 rounded-md border border-slate-200 bg-white">
            {/* Below md every row is laid out as a card (name, status and action on top, the rest below); the
                elements stay a table, so the column headers still name each cell for a screen reader. */}
            <table className="block w-full text-left text-sm md:table">
              <caption className="sr-only">API keys</caption>
              <thead className="sr-only bg-slate-50 text-slate-600 md:not-sr-only md:table-header-group">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Key</th>
                  <th scope="col" className="px-4 py-2 font-medium">Scopes</th>
                  <th scope="col" className="px-4 py-2 font-medium">Expires</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="block divide-y divide-slate-200 md:table-row-group">
                {keys.data.map((k) => (
                  <KeyRow key={k.id} apiKey={k} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: { name: string; token: string }) => void }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const form = useForm({
    resolver: zodResolver(createApiKeyInput),
    defaultValues: { name: "", scopes: ["projects:read", "invoices:read"], expiresInDays: 90 },
  });
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (key) => {
        toast.success(`API key “${key.name}” created`);
        form.reset();
        onCreated({ name: key.name, token: key.token });
        await queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
      },
      onError: (error) => showServerErrors(form, error, ["name", "scopes", "expiresInDays"]),
    }),
  );
  const { errors } = form.formState;
  const scopesId = useId();
  return (
    <form noValidate aria-label="Create an API key" className="space-y-4" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <FormError message={errors.root?.server?.message} />
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem] sm:items-start">
        <InputField label="Name" autoComplete="off" placeholder="e.g. Nightly export" error={errors.name?.message} {...form.register("name")} />
        <SelectField
          label="Expires"
          error={errors.expiresInDays?.message}
          {...form.register("expiresInDays", { setValueAs: (v: unknown) => (v === "never" || v === null ? null : Number(v)) })}
        >
          {apiKeyExpiryDays.map((d) => (
            <option key={d} value={d}>
              {d === 365 ? "In 1 year" : `In ${d} days`}
            </option>
          ))}
          <option value="never">Never</option>
        </SelectField>
      </div>
      <fieldset aria-describedby={[`${scopesId}-hint`, errors.scopes ? `${scopesId}-error` : null].filter(Boolean).join(" ")}>
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        <p id={`${scopesId}-hint`} className="mt-1 text-xs text-slate-500">
          Write includes read. No key can manage members, invitations, keys or domains, or read the audit log or mail.
        </p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {apiKeyScopes.map((scope) => {
            const id = `${scopesId}-${scope.replace(":", "-")}`;
            return (
              <div key={scope} className="flex items-start gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-emerald-600">
                <input
                  id={id}
                  type="checkbox"
                  value={scope}
                  aria-invalid={errors.scopes ? true : undefined}
                  aria-describedby={errors.scopes ? `${id}-hint ${scopesId}-error` : `${id}-hint`}
                  className="mt-0.5 h-4 w-4 accent-emerald-700"
                  {...form.register("scopes")}
                />
                <div>
                  <label htmlFor={id} className="block font-medium">
                    {apiKeyScopeLabels[scope].label}
                  </label>
                  <p id={`${id}-hint`} className="text-xs text-slate-500">
                    {apiKeyScopeLabels[scope].hint}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
        {errors.scopes ? (
          <p id={`${scopesId}-error`} className="mt-1 text-sm text-red-700">
            {errors.scopes.message ?? errors.scopes.root?.message}
          </p>
        ) : null}
      </fieldset>
      <button type="submit" className={buttonClass("primary")} disabled={!hydrated || create.isPending}>
        {create.isPending ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

/** The only time the clear key exists outside the caller's hands: the server keeps just its hash. */
function NewKey({ created, onDone }: { created: { name: string; token: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
      toast.success("Key copied");
    } catch {
      toast.error("Copy failed; select the key and copy it by hand");
    }
  }
  return (
    <div role="region" aria-label="New API key" className="space-y-3">
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Copy the key for “{created.name}” now. You will not be able to see it again.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="new-api-key" className="sr-only">
          New API key
        </label>
        <input
          id="new-api-key"
          readOnly
          value={created.token}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
          data-testid="new-api-key"
        />
        <button type="button" className={buttonClass("secondary")} onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className={buttonClass()} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async ({ ended }) => {
        const also = [
          ended.apiKeys ? plural(ended.apiKeys, "key", "keys") + " revoked" : null,
          ended.invitations ? plural(ended.invitations, "invitation", "invitations") + " revoked" : null,
          ended.members ? plural(ended.members, "member", "members") + " removed" : null,
        ].filter(Boolean);
        toast.success(`API key “${apiKey.name}” revoked${also.length ? `; what it started was ended too: ${also.join(", ")}` : ""}`);
        setConfirming(false);
        await queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  return (
    <tr
      data-testid="api-key-row"
      className={`grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 px-4 py-3 md:table-row md:p-0 ${apiKey.status !== "active" ? "text-slate-500" : ""}`}
    >
      <td className="min-w-0 font-medium wrap-anywhere md:px-4 md:py-3">{apiKey.name}</td>
      <td className="order-2 col-span-2 font-mono text-xs md:order-none md:px-4 md:py-3 md:text-sm">{apiKey.prefix}…</td>
      <td className="order-3 col-span-2 md:order-none md:px-4 md:py-3">
        <ul className="flex flex-wrap gap-1" aria-label={`Scopes of ${apiKey.name}`}>
          {apiKey.scopes.map((s) => (
            <li key={s} className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
              {scopeLabel(s)}
            </li>
          ))}
        </ul>
      </td>
      <td className="order-4 col-span-2 text-xs text-slate-600 md:order-none md:px-4 md:py-3 md:text-sm md:text-inherit">
        <span className="md:hidden">Expires </span>
        {apiKey.expiresAt ? <time dateTime={apiKey.expiresAt.toISOString()}>{day(apiKey.expiresAt)}</time> : "Never"}
      </td>
      <td className="order-5 col-span-2 text-xs text-slate-600 md:order-none md:px-4 md:py-3 md:text-sm md:text-inherit">
        <span className="md:hidden">Last used </span>
        {apiKey.lastUsedAt ? ago(apiKey.lastUsedAt) : "Never"}
      </td>
      <td className="order-1 md:order-none md:px-4 md:py-3">
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusStyles[apiKey.status]}`}>
          {apiKey.status === "revoked" && apiKey.revokedAt
            ? `Revoked ${ago(apiKey.revokedAt)}`
            : apiKey.status === "expired" && apiKey.expiresAt
              ? `Expired ${ago(apiKey.expiresAt)}`
              : "Active"}
        </span>
      </td>
      <td className="order-6 col-span-2 md:order-none md:px-4 md:py-3 md:text-right">
        {apiKey.status === "revoked" ? null : (
          // An expired key can still be revoked: revoking is what ends the invitations and members it brought in.
          <button type="button" className={buttonClass("ghost")} onClick={() => setConfirming(true)} aria-label={`Revoke ${apiKey.name}`}>
            Revoke
          </button>
        )}
        <ConfirmDialog
          open={confirming}
          title={`Revoke “${apiKey.name}”?`}
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          error={revoke.error ? describeError(revoke.error).message : null}
          onConfirm={() => revoke.mutate({ id: apiKey.id })}
          onClose={() => {
            setConfirming(false);
            revoke.reset();
          }}
        >
          <p className="text-left">
            Anything using {apiKey.prefix}… is refused from its next request. Invitations the key sent are revoked, and people who joined through them
            are removed from the workspace (never the last owner). This cannot be undone.
          </p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}
