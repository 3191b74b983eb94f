#!/usr/bin/env node
// Reads every .trx file under a results directory and prints a per-assembly summary, the failed tests, and a
// final line "N passed, N failed". Failed counts failed + error + timeout + aborted results; skipped (not
// executed) results are neither. An assembly whose `dotnet test` exited non-zero without any failed result in
// its trx (crash, hang kill, missing trx) counts as one failure.
//
// Usage: node scripts/trx-summary.mjs <results-dir> [exit-codes-file]
//   exit-codes-file: lines "<AssemblyName> <exitCode>" written by scripts/test.sh
// Exit code: 0 when nothing failed, 1 otherwise.

import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, basename } from "node:path";

const [resultsDir, exitsFile] = process.argv.slice(2);
if (!resultsDir) {
  process.stderr.write("usage: node scripts/trx-summary.mjs <results-dir> [exit-codes-file]\n");
  process.exit(2);
}

function findTrx(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTrx(full));
    else if (entry.endsWith(".trx")) out.push(full);
  }
  return out.sort();
}

function attr(tag, name) {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : undefined;
}

const decode = (s) =>
  (s ?? "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");

const FAILED_OUTCOMES = new Set(["Failed", "Error", "Timeout", "Aborted"]);
const assemblies = new Map();

function entry(name) {
  if (!assemblies.has(name)) {
    assemblies.set(name, { name, passed: 0, failed: 0, skipped: 0, seconds: 0, failures: [], exitCode: 0, trx: false });
  }
  return assemblies.get(name);
}

for (const file of findTrx(resultsDir)) {
  const xml = readFileSync(file, "utf8");
  const name = basename(file, ".trx");
  const a = entry(name);
  a.trx = true;
  const results = [...xml.matchAll(/<UnitTestResult\s[^>]*?(?:\/>|>[\s\S]*?<\/UnitTestResult>)/g)];
  for (const [block] of results) {
    const head = block.slice(0, block.indexOf(">") + 1);
    const outcome = attr(head, "outcome") ?? "NotExecuted";
    if (outcome === "Passed") a.passed++;
    else if (FAILED_OUTCOMES.has(outcome)) {
      a.failed++;
      const message = /<Message>([\s\S]*?)<\/Message>/.exec(block);
      a.failures.push({ test: decode(attr(head, "testName")), outcome, message: decode(message?.[1]).split("\n")[0].slice(0, 300) });
    } else a.skipped++;
  }
  // Run-level errors (e.g. the test host crashed) appear in ResultSummary's RunInfos.
  const summary = /<ResultSummary\s+outcome="([^"]*)"/.exec(xml);
  const runError = /<RunInfo[^>]*outcome="Error"[\s\S]*?<Text>([\s\S]*?)<\/Text>/.exec(xml);
  if (summary && summary[1] !== "Completed" && a.failed === 0 && runError) {
    a.failed++;
    a.failures.push({ test: "(test run)", outcome: summary[1], message: decode(runError[1]).split("\n")[0].slice(0, 300) });
  }
  const times = /<Times\s[^>]*start="([^"]*)"[^>]*finish="([^"]*)"/.exec(xml);
  if (times) a.seconds += Math.max(0, (Date.parse(times[2]) - Date.parse(times[1])) / 1000);
}

if (exitsFile && existsSync(exitsFile)) {
  for (const line of readFileSync(exitsFile, "utf8").split("\n")) {
    const [name, code] = line.trim().split(/\s+/);
    if (!name) continue;
    const a = entry(name);
    a.exitCode = Number(code);
    if (a.exitCode !== 0 && a.failed === 0) {
      a.failed++;
      const why =
        name === "(build)" ? "dotnet build failed (see the errors above)"
        : a.exitCode === 125 ? "not run: its project did not build"
        : a.exitCode === 126 ? "not run: the time budget was used up"
        : a.exitCode === 124 || a.exitCode === 137 ? "killed by the time limit"
        : `dotnet test exited with ${a.exitCode}`;
      const test = name === "(build)" ? "dotnet build BmsRealtime.slnx" : "(assembly)";
      a.failures.push({ test, outcome: a.trx ? "Error" : "NoResults", message: why });
    }
  }
}

const rows = [...assemblies.values()].sort((x, y) => x.name.localeCompare(y.name));
const width = Math.max(8, ...rows.map((r) => r.name.length));
console.log(`${"assembly".padEnd(width)}  passed  failed  skipped  seconds`);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(width)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}`,
  );
}
const failures = rows.flatMap((r) => r.failures.map((f) => ({ ...f, assembly: r.name })));
if (failures.length) {
  console.log("\nFailed:");
  for (const f of failures) console.log(`  [${f.assembly}] ${f.test} (${f.outcome})${f.message ? ": " + f.message : ""}`);
}
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failed, 0);
const skipped = rows.reduce((n, r) => n + r.skipped, 0);
if (skipped) console.log(`\n(${skipped} skipped)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
