"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/app/field";
import { FormError } from "@/app/s/tenant/_components/form";
import { describeError, showServerErrors } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass, Skeleton } from "@/app/s/tenant/_components/ui";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { confirmMfaInput, disableMfaInput, regenerateRecoveryCodesInput } from "@/lib/schemas/account";

type Enrolment = { secret: string; qrDataUrl: string };

/** The secret in groups of four, as authenticator apps show it, easier to type on a phone. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

export function MfaSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.mfa.status.queryOptions());
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.account.mfa.status.pathFilter());
  const begin = useMutation(
    trpc.account.mfa.beginEnrolment.mutationOptions({
      onSuccess: (data) => setEnrolment(data),
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const hydrated = useHydrated();

  if (status.isPending) {
    return (
      <div role="status" aria-live="polite">
        <span className="sr-only">Loading two-factor authentication…</span>
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  if (status.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {describeError(status.error).message}
      </p>
    );
  }
  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          void refresh();
        }}
      />
    );
  }
  if (enrolment) {
    return (
      <EnrolForm
        enrolment={enrolment}
        onCancel={() => setEnrolment(null)}
        onEnabled={(recoveryCodes) => {
          setEnrolment(null);
          setCodes(recoveryCodes);
          toast.success("Two-factor authentication is on");
        }}
      />
    );
  }
  if (!status.data.enabled) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">
          <span className="font-medium" data-testid="mfa-state">
            Off.
          </span>{" "}
          Signing in asks only for your password.
        </p>
        <button type="button" className={buttonClass("primary")} disabled={!hydrated || begin.isPending} onClick={() => begin.mutate()}>
          {begin.isPending ? "Preparing…" : "Set up two-factor authentication"}
        </button>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700">
        <span className="font-medium text-emerald-800" data-testid="mfa-state">
          On
        </span>{" "}
        since {status.data.enabledAt ? new Date(status.data.enabledAt).toLocaleDateString(undefined, { dateStyle: "long" }) : "recently"}.{" "}
        <span data-testid="mfa-codes-left">
          {status.data.recoveryCodesLeft === 1 ? "1 recovery code left" : `${status.data.recoveryCodesLeft} recovery codes left`}
        </span>
        .
      </p>
      <RegenerateForm onCodes={setCodes} />
      <DisableForm onDisabled={() => void refresh()} />
    </div>
  );
}

function EnrolForm({ enrolment, onCancel, onEnabled }: { enrolment: Enrolment; onCancel: () => void; onEnabled: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm({ resolver: zodResolver(confirmMfaInput), defaultValues: { code: "" } });
  const confirm = useMutation(trpc.account.mfa.confirmEnrolment.mutationOptions());
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onEnabled((await confirm.mutateAsync(values)).recoveryCodes);
    } catch (error) {
      showServerErrors(form, error, ["code"]);
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app on your phone (1Password, Google Authenticator, Authy, …).</li>
        <li>Scan this code, or type the key below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <img src={enrolment.qrDataUrl} alt="QR code for your authenticator app" width={176} height={176} className="h-44 w-44 shrink-0 rounded border border-slate-200 bg-white" />
        <div className="min-w-0">
          <p className="text-sm font-medium text-slate-800" id="mfa-secret-label">
            Key
          </p>
          <code aria-labelledby="mfa-secret-label" className="mt-1 block break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm" data-testid="mfa-secret">
            {grouped(enrolment.secret)}
          </code>
          <p className="mt-1 text-xs text-slate-500">Time-based, 6 digits, every 30 seconds.</p>
        </div>
      </div>
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-3" noValidate>
        <Field label="Code from your app" inputMode="numeric" autoComplete="one-time-code" error={errors.code?.message} {...form.register("code")} />
        <FormError message={errors.root?.server?.message} />
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={!hydrated || isSubmitting} className={buttonClass("primary")}>
            {isSubmitting ? "Checking…" : "Turn on"}
          </button>
          <button type="button" onClick={onCancel} className={buttonClass("secondary")}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const copy = () =>
    void navigator.clipboard.writeText(codes.join("\n")).then(
      () => toast.success("Recovery codes copied"),
      () => toast.error("Could not copy; select the codes and copy them instead"),
    );
  return (
    <div className="space-y-3">
      <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.
      </p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 font-mono text-sm sm:grid-cols-5" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} className="rounded bg-slate-100 px-2 py-1 text-center">
            {c}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={copy} className={buttonClass("secondary")}>
          Copy codes
        </button>
        <button type="button" onClick={onDone} className={buttonClass("primary")}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

function RegenerateForm({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm({ resolver: zodResolver(regenerateRecoveryCodesInput), defaultValues: { code: "" } });
  const regenerate = useMutation(trpc.account.mfa.regenerateRecoveryCodes.mutationOptions());
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onCodes((await regenerate.mutateAsync(values)).recoveryCodes);
      toast.success("New recovery codes made; the old ones no longer work");
    } catch (error) {
      showServerErrors(form, error, ["code"]);
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-3" noValidate aria-labelledby="mfa-regenerate-heading">
      <h3 id="mfa-regenerate-heading" className="font-medium">
        New recovery codes
      </h3>
      <p className="text-sm text-slate-600">Replaces all your recovery codes, used or not.</p>
      <Field label="Code from your app" inputMode="numeric" autoComplete="one-time-code" error={errors.code?.message} {...form.register("code")} />
      <FormError message={errors.root?.server?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting} className={buttonClass("secondary")}>
        {isSubmitting ? "Making codes…" : "Make new recovery codes"}
      </button>
    </form>
  );
}

function DisableForm({ onDisabled }: { onDisabled: () => void }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm({ resolver: zodResolver(disableMfaInput), defaultValues: { currentPassword: "", code: "" } });
  const disable = useMutation(trpc.account.mfa.disable.mutationOptions());
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await disable.mutateAsync(values);
      form.reset();
      toast.success("Two-factor authentication removed");
      onDisabled();
    } catch (error) {
      showServerErrors(form, error, ["currentPassword", "code"]);
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-3 border-t border-slate-200 pt-4" noValidate aria-labelledby="mfa-disable-heading">
      <h3 id="mfa-disable-heading" className="font-medium">
        Remove two-factor authentication
      </h3>
      <p className="text-sm text-slate-600">Needs your password and a code from your app or a recovery code. Workspaces that require it will stop letting you in.</p>
      <Field label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword?.message} {...form.register("currentPassword")} />
      <Field label="Code from your app or a recovery code" autoComplete="one-time-code" error={errors.code?.message} {...form.register("code")} />
      <FormError message={errors.root?.server?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting} className={buttonClass("danger")}>
        {isSubmitting ? "Removing…" : "Remove two-factor authentication"}
      </button>
    </form>
  );
}
