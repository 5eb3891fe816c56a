// Starts `superbill serve --demo` on a free port with a fresh data directory (SQLite) or a fresh
// PostgreSQL database, and stops it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");

export function binary() {
  return process.env.SUPERBILL_BIN || join(repo, "target", "release", "superbill");
}

export async function startServer({ db } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "superbill-e2e-"));
  const env = {
    ...process.env,
    SUPERBILL_DATA_DIR: join(dir, "data"),
    SUPERBILL_TODAY: "2026-06-15",
    RUST_LOG: "info",
  };
  db = db || process.env.SUPERBILL_E2E_DB;
  if (db) env.SUPERBILL_DB = db;
  else delete env.SUPERBILL_DB;
  const child = spawn(binary(), ["serve", "--demo", "--listen", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start:\n" + out + err)), 120_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}):\n${out}${err}`)); });
  });
  return {
    url,
    output: () => out + err,
    async stop() {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
