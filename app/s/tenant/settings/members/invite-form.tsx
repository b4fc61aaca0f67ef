"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { inviteMemberInput } from "@/lib/schemas/member";
import { useTRPC } from "@/lib/trpc/react";
import { FormError, InputField, SelectField } from "../../_components/form";
import { showServerErrors } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";
import { roleLabels } from "./roles";
import { useHydrated } from "@/lib/use-hydrated";

/** Validated with the API's own schema; the owner role is offered to owners only (the API enforces it too). */
export function InviteForm({ isOwner }: { isOwner: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const form = useForm({ resolver: zodResolver(inviteMemberInput), defaultValues: { email: "", role: "member" as const } });
  const invite = useMutation(
    trpc.member.invite.mutationOptions({
      onSuccess: async (invitation) => {
        toast.success(`Invitation sent to ${invitation.email}`);
        form.reset({ email: "", role: form.getValues("role") });
        // A first load still in flight would be reused by a plain invalidate (TanStack keeps a
        // data-less fetch running) and show the list from before the invitation: cancel it first.
        await queryClient.cancelQueries(trpc.member.invitations.pathFilter());
        await queryClient.invalidateQueries(trpc.member.invitations.pathFilter());
      },
      onError: (error) => showServerErrors(form, error, ["email", "role"]),
    }),
  );
  const { errors } = form.formState;
  return (
    <form noValidate aria-label="Invite a member" className="space-y-3" onSubmit={form.handleSubmit((values) => invite.mutate(values))}>
      <FormError message={errors.root?.server?.message} />
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <InputField label="Email" type="email" autoComplete="off" placeholder="colleague@example.com" error={errors.email?.message} {...form.register("email")} />
        <SelectField label="Role" error={errors.role?.message} {...form.register("role")}>
          {(isOwner ? (["owner", "admin", "member", "viewer"] as const) : (["admin", "member", "viewer"] as const)).map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </SelectField>
        <button type="submit" className={buttonClass("primary", "sm:mt-6")} disabled={!hydrated || invite.isPending}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </button>
      </div>
    </form>
  );
}
