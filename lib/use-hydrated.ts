import { useSyncExternalStore } from "react";

const neverChanges = () => () => {};

/**
 * False in the server's HTML and while React hydrates it, true once the page's handlers are attached.
 * Buttons and submit buttons take `disabled={!hydrated}`: before hydration a click does nothing and a
 * submit falls back to the browser's native GET, which would put the form's fields (a password) in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    neverChanges,
    () => true,
    () => false,
  );
}
