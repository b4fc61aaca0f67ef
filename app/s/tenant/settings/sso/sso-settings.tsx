"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { FormError, InputField, SelectField } from "@/app/s/tenant/_components/form";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass, Skeleton } from "@/app/s/tenant/_components/ui";
import { ssoDefaultRoles, type SsoDefaultRole } from "@/lib/schemas/sso";
import { useTRPC } from "@/lib/trpc/react";
import type { AppRouter } from "@/server/api/root";
import { useHydrated } from "@/lib/use-hydrated";

type Fields = Record<string, string | undefined>;
const firstErrors = (fieldErrors: Record<string, string[] | undefined>): Fields => Object.fromEntries(Object.entries(fieldErrors).map(([k, v]) => [k, v?.[0]]));
const card = "rounded-md border border-slate-200 bg-white p-4";

export function SsoSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sso = useQuery(trpc.sso.get.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.sso.get.queryKey() });
  if (sso.isPending) {
    return (
      <div className="mt-6 space-y-3" aria-busy="true" aria-label="Loading single sign-on settings">
        <Skeleton className="h-48" />
        <Skeleton className="h-32" />
      </div>
    );
  }
  if (!sso.data) return <FormError message={sso.error?.message ?? "Could not load the settings"} />;
  return (
    <div className="mt-6 space-y-6">
      <ProviderForm key={sso.data.config?.updatedAt.toString() ?? "new"} data={sso.data} onSaved={refresh} />
      <DomainsSection data={sso.data} onChanged={refresh} />
      <RequireSection data={sso.data} onChanged={refresh} />
    </div>
  );
}

type SsoData = inferRouterOutputs<AppRouter>["sso"]["get"];

function ProviderForm({ data, onSaved }: { data: SsoData; onSaved: () => Promise<void> }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const save = useMutation(trpc.sso.save.mutationOptions());
  const test = useMutation(trpc.sso.test.mutationOptions());
  const remove = useMutation(trpc.sso.remove.mutationOptions());
  const [issuer, setIssuer] = useState(data.config?.issuer ?? "");
  const [clientId, setClientId] = useState(data.config?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [defaultRole, setDefaultRole] = useState<SsoDefaultRole>(data.config?.defaultRole ?? "member");
  const [errors, setErrors] = useState<Fields>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    try {
      const saved = await save.mutateAsync({ issuer, clientId, clientSecret, defaultRole });
      toast.success(`Saved: ${saved.issuer} answered`);
      setClientSecret("");
      await onSaved();
    } catch (err) {
      const { message, fieldErrors } = describeError(err);
      setErrors(firstErrors(fieldErrors));
      setFormError(message);
      toast.error(message);
    }
  };
  const onTest = async () => {
    setErrors({});
    setFormError(null);
    try {
      const result = await test.mutateAsync();
      toast.success(`${result.issuer} answered: its OpenID configuration is valid`);
    } catch (err) {
      const { message, fieldErrors } = describeError(err);
      setErrors(firstErrors(fieldErrors));
      toast.error(message);
    }
  };
  const onRemove = async () => {
    if (!window.confirm("Turn off single sign-on? People keep their accounts and can sign in with a password or an emailed reset link.")) return;
    try {
      await remove.mutateAsync();
      toast.success("Single sign-on turned off");
      await onSaved();
    } catch (err) {
      toast.error(describeError(err).message);
    }
  };

  return (
    <form onSubmit={(e) => void onSave(e)} className={`${card} space-y-4`} noValidate aria-labelledby="sso-provider-heading">
      <h2 id="sso-provider-heading" className="text-lg font-semibold">
        Identity provider
      </h2>
      <p className="text-sm text-slate-600">
        Register Canopy at your provider as a web application with this redirect URI:{" "}
        <code className="break-all rounded bg-slate-100 px-1 py-0.5 text-xs" data-testid="sso-redirect-uri">
          {data.redirectUri}
        </code>
      </p>
      <FormError message={formError} />
      <InputField label="Issuer URL" name="issuer" value={issuer} onChange={(e) => setIssuer(e.target.value)} error={errors.issuer} placeholder="https://login.example.com" autoCapitalize="none" spellCheck={false} hint="Canopy reads its /.well-known/openid-configuration." />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField label="Client ID" name="clientId" value={clientId} onChange={(e) => setClientId(e.target.value)} error={errors.clientId} autoCapitalize="none" spellCheck={false} />
        <InputField
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
          error={errors.clientSecret}
          hint={data.config ? (data.config.secretReadable ? "Stored encrypted. Leave blank to keep it." : "The stored secret can no longer be read: enter it again.") : "Stored encrypted; never shown again."}
        />
      </div>
      <SelectField label="Role for people who join through single sign-on" name="defaultRole" value={defaultRole} onChange={(e) => setDefaultRole(e.target.value as SsoDefaultRole)} error={errors.defaultRole}>
        {ssoDefaultRoles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </SelectField>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={!hydrated || save.isPending}>
          {save.isPending ? "Checking the provider…" : data.config ? "Save changes" : "Save and check"}
        </button>
        {data.config ? (
          <>
            <button type="button" className={buttonClass("secondary")} disabled={!hydrated || test.isPending} onClick={() => void onTest()}>
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
            <button type="button" className={buttonClass("ghost", "text-red-700")} disabled={!hydrated || remove.isPending} onClick={() => void onRemove()}>
              Turn off
            </button>
          </>
        ) : null}
      </div>
    </form>
  );
}

function DomainsSection({ data, onChanged }: { data: SsoData; onChanged: () => Promise<void> }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const add = useMutation(trpc.sso.addDomain.mutationOptions());
  const verify = useMutation(trpc.sso.verifyDomain.mutationOptions());
  const remove = useMutation(trpc.sso.removeDomain.mutationOptions());
  const [domain, setDomain] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [problems, setProblems] = useState<Record<string, string[]>>({});

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const added = await add.mutateAsync({ domain });
      toast.success(`${added.domain} claimed: publish the TXT record below, then verify`);
      setDomain("");
      await onChanged();
    } catch (err) {
      const { message, fieldErrors } = describeError(err);
      setError(fieldErrors.domain?.[0] ?? message);
    }
  };
  const onVerify = async (id: string) => {
    try {
      const result = await verify.mutateAsync({ id });
      setProblems((p) => ({ ...p, [id]: result.problems }));
      if (result.verified) toast.success(`${result.domain.domain} is verified`);
      else toast.error("Not verified yet: check the TXT record");
    } catch (err) {
      const { message, fieldErrors } = describeError(err);
      setProblems((p) => ({ ...p, [id]: [fieldErrors.domain?.[0] ?? message] }));
      toast.error(message);
    }
    await onChanged();
  };
  const onRemove = async (id: string, name: string) => {
    if (!window.confirm(`Stop signing in ${name} addresses with single sign-on?`)) return;
    try {
      await remove.mutateAsync({ id });
      toast.success(`${name} removed`);
    } catch (err) {
      toast.error(describeError(err).message);
    }
    await onChanged();
  };

  return (
    <section className={`${card} space-y-4`} aria-labelledby="sso-domains-heading">
      <h2 id="sso-domains-heading" className="text-lg font-semibold">
        Email domains
      </h2>
      <p className="text-sm text-slate-600">Addresses in a verified domain sign in through your provider. Prove each domain with a DNS TXT record.</p>
      <form onSubmit={(e) => void onAdd(e)} className="flex flex-wrap items-end gap-3" noValidate>
        <InputField label="Email domain" name="domain" value={domain} onChange={(e) => setDomain(e.target.value)} error={error} placeholder="example.com" className="min-w-56 flex-1" autoCapitalize="none" spellCheck={false} />
        <button type="submit" className={buttonClass("primary")} disabled={!hydrated || add.isPending || !domain.trim()}>
          Claim domain
        </button>
      </form>
      {data.domains.length === 0 ? <p className="text-sm text-slate-600">No email domains yet.</p> : null}
      <ul className="space-y-3">
        {data.domains.map((d) => (
          <li key={d.id} className="rounded-md border border-slate-200 p-3" data-testid="sso-domain">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium break-all">{d.domain}</span>
              <span className={`rounded px-2 py-0.5 text-xs ${d.status === "verified" ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-700"}`}>{d.status === "verified" ? "Verified" : "Pending verification"}</span>
            </div>
            {d.status === "pending" ? (
              <dl className="mt-2 grid gap-1 text-xs sm:grid-cols-[auto_1fr] sm:gap-x-3">
                <dt className="text-slate-500">TXT name</dt>
                <dd className="break-all font-mono">{d.record.name}</dd>
                <dt className="text-slate-500">Value</dt>
                <dd className="break-all font-mono">{d.record.value}</dd>
              </dl>
            ) : null}
            {problems[d.id]?.length ? (
              <ul role="alert" className="mt-2 list-disc pl-5 text-sm text-red-700">
                {problems[d.id]!.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
            <div className="mt-2 flex flex-wrap gap-2">
              {d.status === "pending" ? (
                <button type="button" className={buttonClass("secondary")} disabled={!hydrated || verify.isPending} onClick={() => void onVerify(d.id)}>
                  Verify {d.domain}
                </button>
              ) : null}
              <button type="button" className={buttonClass("ghost", "text-red-700")} disabled={!hydrated || remove.isPending} onClick={() => void onRemove(d.id, d.domain)}>
                Remove {d.domain}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RequireSection({ data, onChanged }: { data: SsoData; onChanged: () => Promise<void> }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const setRequired = useMutation(trpc.sso.setRequired.mutationOptions());
  const [error, setError] = useState<string | undefined>();
  const required = data.config?.required ?? false;
  const onToggle = async () => {
    setError(undefined);
    try {
      await setRequired.mutateAsync({ required: !required });
      toast.success(required ? "Password sign-in is allowed again" : "Single sign-on is now required");
      await onChanged();
    } catch (err) {
      const { message, fieldErrors } = describeError(err);
      setError(fieldErrors.required?.[0] ?? message);
    }
  };
  return (
    <section className={`${card} space-y-3`} aria-labelledby="sso-require-heading">
      <h2 id="sso-require-heading" className="text-lg font-semibold">
        Require single sign-on
      </h2>
      <p className="text-sm text-slate-600">
        When required, members whose address is in a verified domain cannot sign in with a password. Owners still can, so the workspace is never locked out if the provider fails.
      </p>
      <p className="text-sm">
        Status: <strong data-testid="sso-required-status">{required ? "required" : "not required"}</strong>
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button type="button" className={buttonClass(required ? "secondary" : "primary")} disabled={!hydrated || setRequired.isPending || !data.config} onClick={() => void onToggle()}>
        {required ? "Allow password sign-in" : "Require single sign-on"}
      </button>
    </section>
  );
}
