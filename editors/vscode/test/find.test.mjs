// How the extension finds delint: `delint.path` when set, else PATH, else a message that
// says what to do.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const { findDelint } = createRequire(import.meta.url)("../out/find.js");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delint-find-"));
const binary = path.join(dir, "delint");
fs.writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });

test("delint.path wins when it exists", () => {
  assert.deepEqual(findDelint(binary, { PATH: "" }, "linux"), { command: binary });
});

test("a delint.path that does not exist says so", () => {
  const found = findDelint("/nowhere/delint", { PATH: dir }, "linux");
  assert.match(found.error, /delint\.path is \/nowhere\/delint, which does not exist/);
  assert.match(found.error, /pipx install/);
});

test("~ in delint.path is the home directory", () => {
  assert.deepEqual(findDelint("~/delint", { HOME: dir, PATH: "" }, "linux"), { command: binary });
});

test("otherwise the first delint on PATH", () => {
  const found = findDelint("", { PATH: ["/nowhere", dir].join(path.delimiter) }, "linux");
  assert.deepEqual(found, { command: binary });
});

test("missing everywhere: a clear message", () => {
  const found = findDelint("", { PATH: "/nowhere" }, "linux");
  assert.match(found.error, /delint was not found on PATH/);
});
