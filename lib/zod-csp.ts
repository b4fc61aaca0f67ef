import { z } from "zod";

/**
 * zod 4 probes for eval with `new Function("")` before its first object parse. The page CSP has no
 * 'unsafe-eval', so the probe fails: zod catches it and parses without eval, but the browser still reports a
 * CSP violation on every page that validates a form. Jitless skips the probe. Browser only: the server keeps
 * zod's faster compiled parsers.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
