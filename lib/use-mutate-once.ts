import { useEffect, useRef } from "react";

/**
 * Runs a mutation once, after hydration. Mailed links (address proofs) are used this way: a POST
 * by the signed-in user, never the GET of the link itself, so a mail scanner that opens links
 * cannot use up the token.
 */
export function useMutateOnce<I>(mutation: { mutate: (input: I) => void }, input: I): void {
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutation.mutate(input);
  }, [mutation, input]);
}
