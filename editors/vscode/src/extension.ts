// Starts `delint server` for Deluge documents (and CRM function exports in JSON) and
// restarts it when `delint.path` changes. The server does the work: diagnostics, quick
// fixes, `source.fixAll.delint`, hovers.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

import { findDelint } from "./find";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("delint.path") || event.affectsConfiguration("delint.lintJsonExports")) {
        await restart();
      }
    }),
    vscode.commands.registerCommand("delint.restart", restart),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration("delint");
  const found = findDelint(settings.get<string>("path", ""));
  if ("error" in found) {
    const choice = await vscode.window.showErrorMessage(found.error, "Open settings");
    if (choice === "Open settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "delint.path");
    }
    return;
  }
  const serverOptions: ServerOptions = {
    command: found.command,
    args: ["server"],
    transport: TransportKind.stdio,
  };
  const documentSelector = [{ language: "deluge" }];
  if (settings.get<boolean>("lintJsonExports", true)) {
    documentSelector.push({ language: "json" });
  }
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions: {
      select: settings.get<string[] | null>("select", null) ?? undefined,
      ignore: settings.get<string[] | null>("ignore", null) ?? undefined,
    },
    synchronize: { configurationSection: "delint" },
  };
  client = new LanguageClient("delint", "delint", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    void vscode.window.showErrorMessage(`delint server did not start (${found.command}): ${String(error)}`);
  }
}
