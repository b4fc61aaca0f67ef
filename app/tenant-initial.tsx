/** The workspace's first letter on a coloured square: its mark wherever it has no logo. */
export function TenantInitial({ name, large = false }: { name: string; large?: boolean }) {
  return (
    <span aria-hidden className={`grid shrink-0 place-items-center rounded-md bg-emerald-700 font-bold text-white ${large ? "h-12 w-12 text-xl" : "h-8 w-8"}`}>
      {name.slice(0, 1)}
    </span>
  );
}
