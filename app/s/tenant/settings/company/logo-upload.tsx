"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type ChangeEvent } from "react";
import { toast } from "sonner";
import { logoTooBig, logoWrongType, MAX_LOGO_BYTES } from "@/lib/schemas/tenant-settings";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { describeError } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";

type Logo = { url: string; contentType: string } | null;

/** The file's bytes as base64 (without the data: URL's header), the shape setLogo takes. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result.replace(/^data:[^,]*,/, "") : "");
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsDataURL(file);
  });
}

export function LogoUpload({ logo, workspaceName, editable }: { logo: Logo; workspaceName: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const onDone = (message: string) => {
    setError(null);
    toast.success(message);
    if (input.current) input.current.value = "";
    router.refresh();
  };
  const onFailed = (e: unknown) => {
    const { message, fieldErrors } = describeError(e);
    setError(fieldErrors.image?.[0] ?? message);
    toast.error(fieldErrors.image?.[0] ?? message);
  };
  const upload = useMutation(trpc.tenant.settings.setLogo.mutationOptions({ onSuccess: () => onDone("Logo updated"), onError: onFailed }));
  const remove = useMutation(trpc.tenant.settings.removeLogo.mutationOptions({ onSuccess: () => onDone("Logo removed"), onError: onFailed }));
  const busy = upload.isPending || remove.isPending;

  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    // A quick answer for the obvious cases; the server decides from the bytes themselves.
    if (file.size > MAX_LOGO_BYTES) return setError(logoTooBig);
    if (!["image/png", "image/jpeg", "image/webp"].includes(file.type)) return setError(logoWrongType);
    try {
      upload.mutate({ image: await readBase64(file) });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="text-sm font-semibold">
        Logo
      </h2>
      <div className="mt-3 flex flex-col gap-4 sm:flex-row sm:items-center">
        <div className="grid h-16 w-40 shrink-0 place-items-center rounded-md border border-dashed border-slate-300 bg-slate-50 p-2">
          {logo ? (
            // A plain img: the logo has its own immutable route; there is nothing for the image optimiser to do.
            <img src={logo.url} alt={`${workspaceName} logo`} className="max-h-12 max-w-full object-contain" data-testid="company-logo" />
          ) : (
            <span className="text-xs text-slate-500">No logo yet</span>
          )}
        </div>
        {editable ? (
          <div className="min-w-0 flex-1 space-y-2">
            <label htmlFor={id} className="block text-sm font-medium text-slate-800">
              Upload a logo
            </label>
            <input
              ref={input}
              id={id}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
              disabled={!hydrated || busy}
              onChange={(e) => void onChange(e)}
              className="block w-full max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
            />
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              PNG, JPEG or WebP, up to 512 KB, at least 16 × 16 pixels. Shown on this workspace&apos;s sign-in page and on invoices.
            </p>
            {error ? (
              <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
                {error}
              </p>
            ) : null}
            {upload.isPending ? (
              <p role="status" className="text-sm text-slate-600">
                Uploading…
              </p>
            ) : null}
            {logo ? (
              <button type="button" className={buttonClass("secondary")} disabled={!hydrated || busy} onClick={() => remove.mutate()}>
                {remove.isPending ? "Removing…" : "Remove logo"}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
