//! `delint server`: the Language Server Protocol over stdio.
//!
//! One thread owns the state and handles messages in order. Changes are debounced: a
//! document is re-linted once no message has arrived for [`DEBOUNCE`], at the latest
//! [`MAX_WAIT`] after the first unlinted change (fast typing still sees diagnostics), or
//! before a request about it is answered, so answers always match the text the editor
//! sent. Each message is
//! handled under `catch_unwind`: a bug answers one request with an error and the server
//! carries on.

mod actions;
mod convert;
pub mod document;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::RecvTimeoutError;
use delint_container::Container;
use delint_linter::rule_selection::{RuleSelector, RuleSet};
use delint_linter::settings::Settings;
use delint_linter::{Fixes, LintResult};
use delint_workspace::config::{Configuration, Overrides};
use delint_workspace::resolver::{ConfigSource, Resolver};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability, InitializeParams,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use serde::Deserialize;

use crate::document::Document;

/// How long the document must be quiet before it is re-linted after a change.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// The longest a change waits for its diagnostics while edits keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

/// How often, at most, the configuration files are looked at on disk while linting.
const CONFIG_POLL: Duration = Duration::from_secs(1);

/// The kind of the "apply every safe fix" source action.
pub const FIX_ALL_KIND: &str = "source.fixAll.delint";

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    result
}

/// Initialises, then serves `connection` until shutdown.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo { name: "delint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, &params);
    server.register_config_watcher(&params);
    server.run()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL_KIND)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// What clients may send in `initializationOptions` (and `workspace/didChangeConfiguration`,
/// bare or under a `delint` key).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientSettings {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
}

impl ClientSettings {
    fn from_value(value: Option<&serde_json::Value>) -> ClientSettings {
        let Some(value) = value else {
            return ClientSettings::default();
        };
        let value = value.get("delint").unwrap_or(value);
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    /// The overrides, and the selectors that did not parse.
    fn overrides(&self) -> (Overrides, Vec<String>) {
        let mut bad = Vec::new();
        let mut parse = |list: &Option<Vec<String>>| {
            list.as_ref().map(|items| {
                items
                    .iter()
                    .filter_map(|item| match item.parse::<RuleSelector>() {
                        Ok(selector) => Some(selector),
                        Err(error) => {
                            bad.push(error);
                            None
                        }
                    })
                    .collect()
            })
        };
        let overrides = Overrides {
            select: parse(&self.select),
            ignore: parse(&self.ignore),
            extensions: Vec::new(),
        };
        (overrides, bad)
    }
}

/// An open document and what linting it last produced.
struct Open {
    document: Document,
    settings: Settings,
    /// The findings for the current text, and whether their fixes were planned: each
    /// keystroke lints without them, a code-action request plans them once per version.
    result: Option<(LintResult, Fixes)>,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<Url, Open>,
    /// Documents changed since they were last linted.
    dirty: Vec<Url>,
    /// When the oldest unlinted change arrived.
    dirty_since: Option<Instant>,
    /// The `delint.toml` files that could apply to the open documents, as last seen on
    /// disk: a change there (by another program) reloads the configuration, for clients
    /// that do not watch files for us.
    config_files: ConfigFiles,
    resolver: Resolver,
    client: ClientSettings,
    root: PathBuf,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        #[allow(deprecated)] // `root_uri` is what older clients send.
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| folder.uri.clone())
            .or_else(|| params.root_uri.clone())
            .and_then(|uri| uri.to_file_path().ok())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let client = ClientSettings::from_value(params.initialization_options.as_ref());
        let mut server = Server {
            connection,
            documents: HashMap::new(),
            dirty: Vec::new(),
            dirty_since: None,
            config_files: ConfigFiles::default(),
            resolver: Resolver::new(ConfigSource::Discover, Overrides::default(), &root),
            client,
            root,
        };
        server.reload_configuration();
        server
    }

    /// Asks the client to tell us when any `delint.toml` changes, if it can.
    fn register_config_watcher(&self, params: &InitializeParams) {
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let registration = serde_json::json!({
            "registrations": [{
                "id": "delint-config-watcher",
                "method": DidChangeWatchedFiles::METHOD,
                "registerOptions": { "watchers": [{ "globPattern": "**/delint.toml" }] },
            }]
        });
        let request = Request::new(
            RequestId::from("delint/register-watcher".to_owned()),
            "client/registerCapability".to_owned(),
            registration,
        );
        let _ = self.connection.sender.send(Message::Request(request));
    }

    fn run(&mut self) -> Result<(), String> {
        loop {
            let message = if self.dirty.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                }
            } else {
                let waited = self.dirty_since.map_or(Duration::ZERO, |since| since.elapsed());
                match self
                    .connection
                    .receiver
                    .recv_timeout(DEBOUNCE.min(MAX_WAIT.saturating_sub(waited)))
                {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => {
                        self.lint_dirty();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            };
            if let Message::Request(request) = &message
                && self.connection.handle_shutdown(request).map_err(|e| e.to_string())?
            {
                return Ok(());
            }
            self.handle_guarded(message);
        }
    }

    /// Handles one message; a panic answers the request with an error instead of ending
    /// the server.
    fn handle_guarded(&mut self, message: Message) {
        let id = match &message {
            Message::Request(request) => Some(request.id.clone()),
            _ => None,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| self.handle(message)));
        if outcome.is_err() {
            if let Some(id) = id {
                self.respond(Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    "delint failed on this request; the server goes on".to_owned(),
                ));
            }
            // The state may be half-updated: re-lint everything from the texts we hold.
            self.documents.values_mut().for_each(|open| open.result = None);
            self.dirty = self.documents.keys().cloned().collect();
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, request: Request) {
        let response = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                match request.extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD) {
                    Ok((id, params)) => {
                        let uri = params.text_document.uri.clone();
                        match self.with_fixes(&uri) {
                            Some((document, settings, result)) => {
                                Response::new_ok(id, actions::code_actions(&uri, document, settings, result, &params))
                            }
                            None => unknown_document(id, &uri),
                        }
                    }
                    Err(error) => return self.bad_request(error),
                }
            }
            HoverRequest::METHOD => match request.extract::<lsp_types::HoverParams>(HoverRequest::METHOD) {
                Ok((id, params)) => {
                    let uri = params.text_document_position_params.text_document.uri.clone();
                    let position = params.text_document_position_params.position;
                    match self.fresh(&uri) {
                        Some((document, _, result)) => Response::new_ok(id, actions::hover(document, result, position)),
                        None => unknown_document(id, &uri),
                    }
                }
                Err(error) => return self.bad_request(error),
            },
            _ => Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("delint does not handle `{}`", request.method),
            ),
        };
        self.respond(response);
    }

    fn bad_request(&self, error: lsp_server::ExtractError<Request>) {
        if let lsp_server::ExtractError::JsonError { method, error } = error {
            eprintln!("delint: bad `{method}` request: {error}");
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    notification.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let item = params.text_document;
                if is_config_file(&item.uri) {
                    self.reload_configuration();
                } else {
                    // The new document's directory may hold a configuration cached while
                    // no open document watched it: read it afresh.
                    self.resolver = Resolver::new(ConfigSource::Discover, self.client.overrides().0, &self.root);
                }
                let settings = self.settings_for(&item.uri);
                let document = Document::new(item.text, item.version);
                self.documents.insert(
                    item.uri.clone(),
                    Open {
                        document,
                        settings,
                        result: None,
                    },
                );
                // One look at the configuration files of every document, this one included.
                self.reload_if_config_changed_on_disk();
                self.ensure_linted(&item.uri, Fixes::Skipped);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) =
                    notification.extract::<lsp_types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                if let Some(open) = self.documents.get_mut(&uri) {
                    open.document
                        .apply(params.content_changes, params.text_document.version);
                    open.result = None;
                    self.mark_dirty(uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) =
                    notification.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                self.documents.remove(&uri);
                self.dirty.retain(|u| *u != uri);
                self.publish(uri, Vec::new(), None);
            }
            DidSaveTextDocument::METHOD => {
                // Clients that cannot watch files still tell us when delint.toml is saved.
                let Ok(params) =
                    notification.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return;
                };
                if is_config_file(&params.text_document.uri) {
                    self.reload_configuration();
                } else {
                    self.reload_if_config_changed_on_disk();
                }
            }
            DidChangeWatchedFiles::METHOD => self.reload_configuration(),
            DidChangeConfiguration::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::DidChangeConfigurationParams>(DidChangeConfiguration::METHOD)
                {
                    self.client = ClientSettings::from_value(Some(&params.settings));
                    self.reload_configuration();
                }
            }
            _ => {}
        }
    }

    /// Forgets every cached configuration and re-lints every open document.
    fn reload_configuration(&mut self) {
        let (overrides, bad) = self.client.overrides();
        for error in bad {
            self.show_message(lsp_types::MessageType::WARNING, format!("delint settings: {error}"));
        }
        self.resolver = Resolver::new(ConfigSource::Discover, overrides, &self.root);
        let uris: Vec<Url> = self.documents.keys().cloned().collect();
        for uri in uris {
            let settings = self.settings_for(&uri);
            if let Some(open) = self.documents.get_mut(&uri) {
                open.settings = settings;
                open.result = None;
            }
            self.mark_dirty(uri);
        }
        self.config_files = ConfigFiles::look(self.documents.keys());
    }

    /// Reloads the configuration when a `delint.toml` that could apply to an open
    /// document appeared, changed or went away since it was last looked at.
    fn reload_if_config_changed_on_disk(&mut self) {
        let now = ConfigFiles::look(self.documents.keys());
        if now.changed_since(&self.config_files) {
            self.reload_configuration();
        } else {
            self.config_files = now;
        }
    }

    fn mark_dirty(&mut self, uri: Url) {
        if !self.dirty.contains(&uri) {
            self.dirty.push(uri);
        }
        self.dirty_since.get_or_insert_with(Instant::now);
    }

    /// The settings for a document: its file's `delint.toml`, or the defaults (with the
    /// client's overrides) for unsaved buffers and broken configurations. A file the
    /// configuration excludes gets no rules, so the editor shows what `delint check` would.
    fn settings_for(&self, uri: &Url) -> Settings {
        let path = uri.to_file_path().unwrap_or_else(|_| self.root.join("untitled.dg"));
        match self.resolver.for_file(&path) {
            Ok(config) if config.excludes_path_or_ancestor(&path) => Settings {
                rules: RuleSet::EMPTY,
                ..config.settings_for(&path)
            },
            Ok(config) => config.settings_for(&path),
            Err(error) => {
                self.show_message(
                    lsp_types::MessageType::ERROR,
                    format!("delint: {error}; using the default settings"),
                );
                let (overrides, _) = self.client.overrides();
                Configuration::defaults(Path::new(&self.root).to_path_buf(), &overrides).settings_for(&path)
            }
        }
    }

    /// The document with findings for its current text.
    fn fresh(&mut self, uri: &Url) -> Option<(&Document, &Settings, &LintResult)> {
        self.ensure_linted(uri, Fixes::Skipped)
    }

    /// The document with its findings' fixes planned (once per version).
    fn with_fixes(&mut self, uri: &Url) -> Option<(&Document, &Settings, &LintResult)> {
        self.ensure_linted(uri, Fixes::Planned)
    }

    /// Lints the document unless its result is current and has what `fixes` asks for;
    /// publishes only when the text changed since the last publication (a result with
    /// fixes has the same findings as one without).
    fn ensure_linted(&mut self, uri: &Url, fixes: Fixes) -> Option<(&Document, &Settings, &LintResult)> {
        let open = self.documents.get_mut(uri)?;
        let current = matches!(&open.result, Some((_, have)) if *have == fixes || *have == Fixes::Planned);
        if !current {
            let stale = open.result.is_none();
            let (result, diagnostics) = lint_document(uri, &open.document, &open.settings, fixes);
            open.result = Some((result, fixes));
            let version = open.document.version;
            self.dirty.retain(|u| u != uri);
            if self.dirty.is_empty() {
                self.dirty_since = None;
            }
            if stale {
                self.publish(uri.clone(), diagnostics, Some(version));
            }
        }
        let open = self.documents.get(uri)?;
        Some((&open.document, &open.settings, &open.result.as_ref()?.0))
    }

    fn lint_dirty(&mut self) {
        if self.config_files.looked.elapsed() >= CONFIG_POLL {
            self.reload_if_config_changed_on_disk();
        }
        self.dirty_since = None;
        for uri in std::mem::take(&mut self.dirty) {
            self.ensure_linted(&uri, Fixes::Skipped);
        }
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        let _ = self.connection.sender.send(Message::Notification(notification));
    }

    fn show_message(&self, typ: lsp_types::MessageType, message: String) {
        let params = lsp_types::ShowMessageParams { typ, message };
        let notification = Notification::new("window/showMessage".to_owned(), params);
        let _ = self.connection.sender.send(Message::Notification(notification));
    }

    fn respond(&self, response: Response) {
        let _ = self.connection.sender.send(Message::Response(response));
    }
}

/// Lints a document and converts the findings to LSP diagnostics: the work behind every
/// keystroke (benchmarked in `benches/relint.rs`).
pub fn lint_document(
    uri: &Url,
    document: &Document,
    settings: &Settings,
    fixes: Fixes,
) -> (LintResult, Vec<lsp_types::Diagnostic>) {
    let result = match delint_container::sniff(Path::new(uri.path()), &document.text) {
        Container::Deluge => deluge_syntax::with_thread_arena(|arena| {
            let parsed = deluge_syntax::parse(&document.text, arena);
            // Pasted with its Markdown fences: the blocks are linted, as in a `.md`.
            match delint_container::fenced_deluge(&document.text, &parsed) {
                Some(blocks) => {
                    delint_container::lint_markdown(&document.text, &blocks, settings, fixes)
                        .document
                        .result
                }
                None => delint_linter::lint_with(&document.text, &parsed, settings, fixes),
            }
        }),
        Container::CreatorApp(scripts) => delint_container::lint_app(&document.text, &scripts, settings, fixes).result,
        Container::Markdown(blocks) => {
            delint_container::lint_markdown(&document.text, &blocks, settings, fixes)
                .document
                .result
        }
        // Findings inside the scripts' strings, without fixes (an export is not rewritten).
        Container::FunctionExport { functions, .. } => {
            delint_container::lint_export(&document.text, &functions, settings)
        }
        // Other files are not Deluge.
        Container::BrokenJson(_) | Container::Foreign { .. } => LintResult::default(),
    };
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|d| convert::diagnostic(uri, document, d))
        .collect();
    (result, diagnostics)
}

/// Whether the document is a configuration file.
fn is_config_file(uri: &Url) -> bool {
    uri.path()
        .ends_with(&format!("/{}", delint_workspace::config::FILE_NAME))
}

/// Every `delint.toml` that could apply to some documents (one in each of their
/// directories and above), with its modification time and size, or `None` where there is
/// none: comparing two of these tells whether configuration changed on disk.
#[derive(Debug)]
struct ConfigFiles {
    stamps: std::collections::BTreeMap<PathBuf, Option<(SystemTime, u64)>>,
    looked: Instant,
}

impl Default for ConfigFiles {
    fn default() -> ConfigFiles {
        ConfigFiles {
            stamps: std::collections::BTreeMap::new(),
            looked: Instant::now(),
        }
    }
}

impl ConfigFiles {
    fn look<'u>(documents: impl Iterator<Item = &'u Url>) -> ConfigFiles {
        let mut stamps = std::collections::BTreeMap::new();
        for path in documents.filter_map(|uri| uri.to_file_path().ok()) {
            for dir in path.ancestors().skip(1) {
                let file = dir.join(delint_workspace::config::FILE_NAME);
                if stamps.contains_key(&file) {
                    break;
                }
                let stamp = std::fs::metadata(&file)
                    .ok()
                    .and_then(|meta| Some((meta.modified().ok()?, meta.len())));
                stamps.insert(file, stamp);
            }
        }
        ConfigFiles {
            stamps,
            looked: Instant::now(),
        }
    }

    /// Whether a file looked at both times differs. A path only one look has belongs to a
    /// document opened (whose settings were just read) or closed since: no change.
    fn changed_since(&self, before: &ConfigFiles) -> bool {
        self.stamps
            .iter()
            .any(|(path, stamp)| before.stamps.get(path).is_some_and(|old| old != stamp))
    }
}

fn unknown_document(id: RequestId, uri: &Url) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("unknown document {uri}: open it first (textDocument/didOpen)"),
    )
}
