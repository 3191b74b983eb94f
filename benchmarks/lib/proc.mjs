// Reads a server's CPU time and memory from /proc (Linux only).
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

let clkTck = 100;
try {
  clkTck = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
} catch {
  // getconf missing: 100 Hz is the Linux default.
}

/** Monotonic time in µs (CLOCK_MONOTONIC, the same clock in every process on this machine). */
export function nowUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * CPU seconds of a process: user, kernel (from /proc/PID/stat, clock-tick resolution) and total
 * (from /proc/PID/schedstat, nanosecond resolution, when available). Includes all its threads.
 */
export function readCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) may contain spaces; everything after the last ')' is positional from field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]) / clkTck;
  const sys = Number(fields[12]) / clkTck;
  let total = user + sys;
  try {
    total = Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
  } catch {
    // schedstat needs CONFIG_SCHEDSTATS; fall back to user + sys.
  }
  return { user, sys, total };
}

export function cpuDelta(a, b) {
  return { user: b.user - a.user, sys: b.sys - a.sys, total: b.total - a.total };
}

/** Resident set size of a process in KiB (VmRSS from /proc/PID/status). */
export function readRssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) : null;
}

export function readThreads(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /Threads:\s+(\d+)/.exec(status);
  return m ? Number(m[1]) : null;
}
