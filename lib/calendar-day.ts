/** Calendar days (`YYYY-MM-DD`) are dates without a time zone: formatted as UTC so no offset moves them. */
const longDay = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** "2026-11-03" → "November 3, 2026". */
export const formatDay = (iso: string) => longDay.format(new Date(`${iso}T00:00:00Z`));

/** The calendar day of `date` in UTC. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Today in the browser's own time zone, for form defaults (the server judges the date again). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
