// Grammar snapshot tests over delint's own Deluge fixtures: each listed fixture is copied
// next to its committed `.snap` (the copies are not committed) and tokenised by
// vscode-tmgrammar-snap, which fails when a token's scopes differ from the snapshot.
//
//   node test/snapshots.mjs            check
//   node test/snapshots.mjs --update   rewrite the snapshots after a grammar change
import { copyFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../../../fixtures");
const FIXTURES = [
  "syntax/function_headers.dg",
  "syntax/task_invokeurl.dg",
  "syntax/task_sendmail.dg",
  "syntax/single_quoted.dg",
  "syntax/case_variations.dg",
  "syntax/creator_fetch.dg",
  "syntax/numbers.dg",
  "syntax/try_catch.dg",
  "rules/DL001/token_in_a_variable.dg",
  "rules/DL003/header_map.dg",
  "rules/DL011/crm_v1_migration.dg",
];

const copies = FIXTURES.map((fixture) => {
  const copy = join(here, "snapshots", fixture.replaceAll("/", "__"));
  copyFileSync(join(fixtures, fixture), copy);
  return copy;
});
const update = process.argv.includes("--update") ? ["--updateSnapshot"] : [];
const bin = join(here, "../node_modules/.bin/vscode-tmgrammar-snap");
const run = spawnSync(bin, [...update, "--config", join(here, "../package.json"), ...copies], {
  cwd: join(here, ".."),
  stdio: "inherit",
});
console.log(`${copies.length} fixtures: ${copies.map((c) => basename(c)).join(", ")}`);
process.exit(run.status ?? 1);
