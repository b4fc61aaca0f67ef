"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * A list page's filters live in the URL, so a filtered list can be shared and survives reloads. The
 * search box (`q`) writes there after a pause; `setParam` sets or clears any other filter at once.
 */
export function useListParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const search = params.get("q")?.trim() || undefined;
  const [draft, setDraft] = useState(search ?? "");

  useEffect(() => {
    const handle = setTimeout(() => {
      if ((draft.trim() || undefined) === search) return;
      const next = new URLSearchParams(params);
      if (draft.trim()) next.set("q", draft.trim());
      else next.delete("q");
      router.replace(`${pathname}?${next.toString()}`);
    }, 300);
    return () => clearTimeout(handle);
  }, [draft, search, params, pathname, router]);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    router.replace(`${pathname}?${next.toString()}`);
  };
  return { params, search, draft, setDraft, setParam };
}
