"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { memberRoles } from "@/lib/schemas/member";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { describeError } from "../../_components/trpc-errors";
import { EmptyState, Skeleton, buttonClass } from "../../_components/ui";
import { InviteForm } from "./invite-form";
import { roleHints, roleLabels } from "./roles";

type Role = (typeof memberRoles)[number];
type Member = { userId: string; name: string; email: string; role: Role };
type Invitation = { id: string; email: string; role: Role; expiresAt: Date; expired: boolean };

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function ListSkeleton() {
  return (
    <div role="status" className="mt-3 space-y-2">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-12 w-full" />
      <Skeleton className="h-12 w-full" />
    </div>
  );
}

export function MembersView({ canManage, isOwner }: { canManage: boolean; isOwner: boolean }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.member.list.queryOptions());
  const invitations = useQuery({ ...trpc.member.invitations.queryOptions(), enabled: canManage });
  return (
    <div className="mt-6 space-y-8">
      {canManage ? (
        <section aria-labelledby="invite-heading" className="rounded-md border border-slate-200 bg-white p-4">
          <h2 id="invite-heading" className="font-semibold">
            Invite someone
          </h2>
          <p className="mb-3 text-sm text-slate-600">They get an email with a link that works once and expires in 7 days.</p>
          <InviteForm isOwner={isOwner} />
        </section>
      ) : null}

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="font-semibold">
          Members {members.data ? <span className="font-normal text-slate-500">({members.data.length})</span> : null}
        </h2>
        {members.isPending ? (
          <ListSkeleton />
        ) : members.isError ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {describeError(members.error).message}
          </p>
        ) : (
          <ul aria-label="Members" className="mt-3 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {members.data.map((m) => (
              <MemberRow key={m.userId} member={m} canManage={canManage} isOwner={isOwner} />
            ))}
          </ul>
        )}
      </section>

      {canManage ? (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="font-semibold">
            Pending invitations
          </h2>
          {invitations.isPending ? (
            <ListSkeleton />
          ) : invitations.isError ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              {describeError(invitations.error).message}
            </p>
          ) : invitations.data.length === 0 ? (
            <EmptyState title="No pending invitations">Invitations you send appear here until they are accepted.</EmptyState>
          ) : (
            <ul aria-label="Pending invitations" className="mt-3 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
              {invitations.data.map((i) => (
                <InvitationRow key={i.id} invitation={i} isOwner={isOwner} />
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

function MemberRow({ member, canManage, isOwner }: { member: Member; canManage: boolean; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.member.pathFilter());
  const updateRole = useMutation(
    trpc.member.updateRole.mutationOptions({
      onSuccess: async (row) => {
        toast.success(`${member.name} is now ${roleLabels[row.role].toLowerCase()}`);
        await refresh();
      },
      onError: async (error) => {
        toast.error(describeError(error).message);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        toast.success(`${member.name} was removed`);
        setConfirming(false);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  // Only owners touch owners; the API enforces the same rule (and the last-owner rule).
  const editable = canManage && (isOwner || member.role !== "owner");
  const choices = memberRoles.filter((r) => isOwner || r !== "owner");
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="member-row">
      <div className="min-w-0">
        <p className="truncate font-medium" title={member.name}>
          {member.name}
        </p>
        <p className="truncate text-sm text-slate-600" title={member.email}>
          {member.email}
        </p>
      </div>
      <div className="flex items-center gap-2">
        {editable ? (
          <>
            <label htmlFor={`role-${member.userId}`} className="sr-only">
              Role of {member.name}
            </label>
            <select
              id={`role-${member.userId}`}
              value={member.role}
              disabled={updateRole.isPending}
              title={roleHints[member.role]}
              onChange={(e) => updateRole.mutate({ userId: member.userId, role: e.target.value as Role })}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
            >
              {choices.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
            <button type="button" className={buttonClass("ghost")} onClick={() => setConfirming(true)} aria-label={`Remove ${member.name}`}>
              Remove
            </button>
          </>
        ) : (
          <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{roleLabels[member.role]}</span>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Remove ${member.name}?`}
        confirmLabel="Remove member"
        pending={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onConfirm={() => remove.mutate({ userId: member.userId })}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
      >
        {member.email} loses access to this workspace immediately. You can invite them again later.
      </ConfirmDialog>
    </li>
  );
}

function InvitationRow({ invitation, isOwner }: { invitation: Invitation; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.member.invitations.pathFilter());
  };
  const resend = useMutation(
    trpc.member.resendInvitation.mutationOptions({
      onSuccess: async () => {
        toast.success(`A new link was sent to ${invitation.email}; the old one no longer works`);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const revoke = useMutation(
    trpc.member.revokeInvitation.mutationOptions({
      onSuccess: async () => {
        toast.success(`Invitation to ${invitation.email} revoked`);
        setConfirming(false);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const canResend = isOwner || invitation.role !== "owner";
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="invitation-row">
      <div className="min-w-0">
        <p className="truncate font-medium" title={invitation.email}>
          {invitation.email}
        </p>
        <p className="text-sm text-slate-600">
          {roleLabels[invitation.role]} ·{" "}
          {invitation.expired ? <span className="text-red-700">Expired</span> : <>Expires {dateFormat.format(invitation.expiresAt)}</>}
        </p>
      </div>
      <div className="flex items-center gap-2">
        {canResend ? (
          <button type="button" className={buttonClass("secondary")} disabled={resend.isPending} onClick={() => resend.mutate({ id: invitation.id })}>
            {resend.isPending ? "Sending…" : "Resend"}
          </button>
        ) : null}
        <button type="button" className={buttonClass("ghost")} onClick={() => setConfirming(true)} aria-label={`Revoke invitation to ${invitation.email}`}>
          Revoke
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Revoke this invitation?"
        confirmLabel="Revoke invitation"
        pending={revoke.isPending}
        error={revoke.error ? describeError(revoke.error).message : null}
        onConfirm={() => revoke.mutate({ id: invitation.id })}
        onClose={() => {
          setConfirming(false);
          revoke.reset();
        }}
      >
        The link sent to {invitation.email} stops working.
      </ConfirmDialog>
    </li>
  );
}
