/**
 * CPU and process facts from /proc, for the bench (bench/run.ts) and bench/statement-cost.ts.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/** A process and every process under it, from /proc. */
export function processTree(rootPid: number): number[] {
  const pids = [rootPid];
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited while we looked
    }
  }
  for (let i = 0; i < pids.length; i++) for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid);
  return pids;
}

export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, µs) spent so far by each process of a tree. */
export function treeCpuUs(rootPid: number): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of processTree(rootPid)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = fields.slice(fields.lastIndexOf(")") + 2).split(" ");
      times.set(pid, ((Number(rest[11]) + Number(rest[12])) * 1e6) / CLOCK_TICKS);
    } catch {
      // exited
    }
  }
  return times;
}

/**
 * CPU a tree spent between two snapshots: per process, so one that exits in between (a pooled
 * database connection closing when idle) takes away nothing; one that starts in between counts whole.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let us = 0;
  for (const [pid, time] of after) us += time - (before.get(pid) ?? 0);
  return us;
}

/** The PID of the PostgreSQL server whose data directory this is, from its postmaster.pid. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}
