"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { describeError } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";

/**
 * "Require two-factor authentication" for the whole workspace. Owners only; an owner without MFA
 * is sent to set it up first (the server refuses, since requiring it would lock them out).
 */
export function MfaRequirement({ required, editable, callerHasMfa, settingsUrl }: { required: boolean; editable: boolean; callerHasMfa: boolean; settingsUrl: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(
    trpc.tenant.security.setMfaRequired.mutationOptions({
      onSuccess: ({ mfaRequired }) => {
        setError(null);
        toast.success(mfaRequired ? "Two-factor authentication is now required for every member" : "Two-factor authentication is no longer required");
        router.refresh();
      },
      onError: (e) => {
        const { message, fieldErrors } = describeError(e);
        setError(fieldErrors.required?.[0] ?? message);
        toast.error(message);
      },
    }),
  );
  return (
    <section aria-labelledby="mfa-requirement-heading" className="rounded-md border border-slate-200 bg-white p-4 sm:p-6">
      <h2 id="mfa-requirement-heading" className="text-lg font-semibold">
        Two-factor authentication
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {required ? "Required: " : "Not required: "}
        {required
          ? "members who have not set up an authenticator app are sent to set one up before they can use this workspace. API keys are not affected."
          : "each member decides for their own account."}
      </p>
      {editable ? (
        <div className="mt-4 space-y-2">
          {!required && !callerHasMfa ? (
            <p className="text-sm text-slate-700">
              Set it up for your own account first, in{" "}
              <a href={settingsUrl} className="text-emerald-700 underline">
                your account settings
              </a>
              .
            </p>
          ) : null}
          <button
            type="button"
            disabled={!hydrated || set.isPending}
            onClick={() => set.mutate({ required: !required })}
            className={buttonClass(required ? "secondary" : "primary")}
            aria-describedby={error ? "mfa-requirement-error" : undefined}
          >
            {set.isPending ? "Saving…" : required ? "Stop requiring two-factor authentication" : "Require two-factor authentication"}
          </button>
          {error ? (
            <p id="mfa-requirement-error" role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600">Only owners can change this.</p>
      )}
    </section>
  );
}
