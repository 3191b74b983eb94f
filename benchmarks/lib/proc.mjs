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
 * CPU seconds of a process from /proc/PID/stat: user, kernel and their sum, all threads included
 * (also threads that have exited, which /proc/PID/task/ * /schedstat would miss). Resolution is one
 * clock tick (10 ms), so phases should run for seconds, not milliseconds.
 */
export function readCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) may contain spaces; everything after the last ')' is positional from field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]) / clkTck;
  const sys = Number(fields[12]) / clkTck;
  return { user, sys, total: user + sys };
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
