// Finds the delint executable the extension starts; kept apart from the `vscode` API so
// it can be tested with plain Node.js (test/find.test.mjs).
import * as fs from "node:fs";
import * as path from "node:path";

export const INSTALL_HELP =
  "Install delint (pipx install ./delint-*.whl, or cargo install --path . in delint's checkout) " +
  "or point the delint.path setting at it.";

/** The executable: `delint.path` when set (it must exist), else `delint` on PATH. */
export function findDelint(
  configured: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { command: string } | { error: string } {
  if (configured.trim() !== "") {
    const expanded = configured.replace(/^~(?=$|[\\/])/, env.HOME ?? "~");
    return fs.existsSync(expanded)
      ? { command: expanded }
      : { error: `delint.path is ${configured}, which does not exist. ${INSTALL_HELP}` };
  }
  const names = platform === "win32" ? ["delint.exe", "delint.cmd"] : ["delint"];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir !== "" && fs.existsSync(candidate)) {
        return { command: candidate };
      }
    }
  }
  return { error: `delint was not found on PATH. ${INSTALL_HELP}` };
}
