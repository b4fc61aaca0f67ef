"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { button } from "./ui";
import { useHydrated } from "@/lib/use-hydrated";

/** A button that asks first, in a native modal <dialog> (focus trap and Escape come with showModal). */
export function ConfirmButton({
  label,
  title,
  confirmLabel,
  tone = "danger",
  children,
  onConfirm,
}: {
  label: string;
  title: string;
  confirmLabel: string;
  tone?: "danger" | "primary";
  children: ReactNode;
  onConfirm: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  const confirm = async () => {
    setPending(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <button type="button" className={button("secondary")} disabled={!hydrated} onClick={() => setOpen(true)}>
        {label}
      </button>
      <dialog ref={ref} onClose={() => setOpen(false)} aria-labelledby={titleId} className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {open ? (
          <div className="p-5">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            <div className="mt-3 text-sm text-slate-700">{children}</div>
            <div className="mt-5 flex justify-end gap-2">
              <button type="button" className={button("secondary")} onClick={() => setOpen(false)} autoFocus>
                Cancel
              </button>
              <button type="button" className={button(tone)} onClick={() => void confirm()} disabled={pending}>
                {pending ? "Working…" : confirmLabel}
              </button>
            </div>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
