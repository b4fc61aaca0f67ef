"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDistanceToNow } from "date-fns";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { apiKeyRoles, createApiKeyInput } from "@/lib/schemas/api-key";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { FormError, InputField, SelectField } from "../../_components/form";
import { describeError, showServerErrors } from "../../_components/trpc-errors";
import { EmptyState, Skeleton, buttonClass } from "../../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

type ApiKey = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

const ago = (d: Date) => formatDistanceToNow(d, { addSuffix: true });

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
          <div className="mt-3 overflow-x-auto rounded-md border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API keys</caption>
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Key</th>
                  <th scope="col" className="px-4 py-2 font-medium">Role</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
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
  const form = useForm({ resolver: zodResolver(createApiKeyInput), defaultValues: { name: "", role: "viewer" as const } });
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (key) => {
        toast.success(`API key “${key.name}” created`);
        form.reset();
        onCreated({ name: key.name, token: key.token });
        await queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
      },
      onError: (error) => showServerErrors(form, error, ["name", "role"]),
    }),
  );
  const { errors } = form.formState;
  return (
    <form noValidate aria-label="Create an API key" className="space-y-3" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <FormError message={errors.root?.server?.message} />
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <InputField label="Name" autoComplete="off" placeholder="e.g. Nightly export" error={errors.name?.message} {...form.register("name")} />
        <SelectField label="Role" error={errors.role?.message} {...form.register("role")}>
          {apiKeyRoles.map((r) => (
            <option key={r} value={r}>
              {r[0]!.toUpperCase() + r.slice(1)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className={buttonClass("primary", "sm:mt-6")} disabled={!hydrated || create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </div>
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
      onSuccess: async () => {
        toast.success(`API key “${apiKey.name}” revoked`);
        setConfirming(false);
        await queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  return (
    <tr data-testid="api-key-row" className={apiKey.revokedAt ? "text-slate-500" : undefined}>
      <td className="px-4 py-3 font-medium">{apiKey.name}</td>
      <td className="px-4 py-3 font-mono">{apiKey.prefix}…</td>
      <td className="px-4 py-3">{apiKey.scopes.join(", ")}</td>
      <td className="px-4 py-3">{apiKey.lastUsedAt ? ago(apiKey.lastUsedAt) : "Never"}</td>
      <td className="px-4 py-3 text-right">
        {apiKey.revokedAt ? (
          <span className="text-xs">Revoked {ago(apiKey.revokedAt)}</span>
        ) : (
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
          <p className="text-left">Anything using {apiKey.prefix}… is refused from its next request. This cannot be undone.</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}
