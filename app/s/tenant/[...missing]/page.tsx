import { notFound } from "next/navigation";

/** Any workspace path no route matches: the workspace's own 404 (inside its shell), not the bare site-wide one. */
export default function MissingPage(): never {
  notFound();
}
