#!/usr/bin/env bash
# Builds the VS Code extension as CI does: installs its npm packages from the lock file,
# type-checks and compiles the client, runs the grammar's unit and snapshot tests, and
# packages editors/vscode/delint.vsix with @vscode/vsce.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
npm ci --no-audit --no-fund --silent
npm run -s typecheck
npm test --silent
npm run -s package
ls -l delint.vsix
