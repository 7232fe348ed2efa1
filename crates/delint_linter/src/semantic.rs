//! The semantic model: what may flow into each HTTP call of a function.
//!
//! Per function body, statements are walked in order with an environment from variable to
//! abstract [`Value`]: the string literals that may appear in it and the map entries that may
//! be present, each with the range that introduced it (its provenance). Assignment replaces a
//! value, `+=` appends, `put`/`putAll`/`remove` transform maps. Branches of an `if` are joined
//! (a value assigned in one branch may reach a call after it); loop bodies run zero or more
//! times, iterated to a fixed point. The analysis is intra-function; parameters and unknown
//! calls are empty values.

use std::rc::Rc;

mod env;
mod survey;
use env::{Change, Env};
use survey::Survey;

use rustc_hash::{FxHashMap, FxHashSet};

use deluge_syntax::ast::*;
use deluge_syntax::{TextRange, TextSize};

/// A string literal that may be part of a value: its range in the source, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// The literal's range.
    pub range: TextRange,
}

/// A map entry that may be present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key's text, lower-cased.
    pub key: Box<str>,
    /// What put it there: a `put(..)` call or a map-literal entry.
    pub origin: TextRange,
    /// The statement that put it (for fixes that remove it), when it was a statement.
    pub statement: Option<TextRange>,
    /// The entry's value.
    pub value: Value,
}

/// What a variable or expression may hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    /// String literals that may be part of it, in concatenation order.
    pub fragments: Vec<Fragment>,
    /// Map entries that may be present.
    pub entries: Vec<Entry>,
}

impl Value {
    fn literal(range: TextRange) -> Self {
        Value {
            fragments: vec![Fragment { range }],
            entries: Vec::new(),
        }
    }

    /// Adds everything `other` may hold ("may" union), without duplicates.
    fn join(&mut self, other: &Value) {
        for fragment in &other.fragments {
            if !self.fragments.contains(fragment) {
                self.fragments.push(*fragment);
            }
        }
        self.join_entries(&other.entries);
    }

    fn join_entries(&mut self, entries: &[Entry]) {
        for entry in entries {
            match self
                .entries
                .iter_mut()
                .find(|e| e.key == entry.key && e.origin == entry.origin)
            {
                Some(existing) => existing.value.join(&entry.value),
                None => self.entries.push(entry.clone()),
            }
        }
    }

    /// Appends `other` as the next operand of a concatenation: its fragments in order,
    /// those not already present (`seen` tracks them), and its entries joined.
    fn append(&mut self, other: &Value, seen: &mut FragmentSet) {
        for fragment in &other.fragments {
            seen.push_new(&mut self.fragments, *fragment);
        }
        self.join_entries(&other.entries);
    }

    fn joined(mut self, other: &Value) -> Value {
        self.join(other);
        self
    }
}

/// The fragments a concatenation has so far, for pushing each once. A chain may have
/// thousands of operands: past a few fragments, a hash set answers instead of a scan.
#[derive(Default)]
struct FragmentSet(FxHashSet<TextRange>);

impl FragmentSet {
    const SCAN_UP_TO: usize = 16;

    fn push_new(&mut self, fragments: &mut Vec<Fragment>, fragment: Fragment) {
        let new = if fragments.len() < Self::SCAN_UP_TO {
            !fragments.contains(&fragment)
        } else {
            if self.0.is_empty() {
                self.0.extend(fragments.iter().map(|f| f.range));
            }
            self.0.insert(fragment.range)
        };
        if new {
            fragments.push(fragment);
        }
    }
}

/// How an HTTP request is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// The `invokeurl [ ... ]` task.
    InvokeUrlTask,
    /// The `invokeapi [ ... ]` task.
    InvokeApiTask,
    /// `getUrl(url, ...)`.
    GetUrl,
    /// `postUrl(url, body, ...)`.
    PostUrl,
    /// Creator's `invokeUrl(url, type, ...)` function.
    InvokeUrlFunction,
}

impl CallKind {
    /// How the call reads in a message.
    pub fn describe(self) -> &'static str {
        match self {
            CallKind::InvokeUrlTask => "`invokeurl`",
            CallKind::InvokeApiTask => "`invokeapi`",
            CallKind::GetUrl => "`getUrl`",
            CallKind::PostUrl => "`postUrl`",
            CallKind::InvokeUrlFunction => "`invokeUrl()`",
        }
    }
}

/// One HTTP call and what may be sent through it.
#[derive(Clone, Debug)]
pub struct HttpCall {
    /// How the request is made.
    pub kind: CallKind,
    /// From the keyword or function name to the closing `]` or `)`.
    pub range: TextRange,
    /// The URL sent.
    pub url: Value,
    /// The parameters or body sent.
    pub body: Value,
    /// The headers sent.
    pub headers: Value,
    /// Whether the call passes headers at all (their entries may be unknown).
    pub has_headers: bool,
    /// `invokeapi`'s `service:` value, as written.
    pub api_service: Option<String>,
    /// Whether the call already names a `connection:`.
    pub has_connection: bool,
    /// The connection's link name, when it is a string literal (or bare words, as a
    /// sample's `<connection_name>` is pasted).
    pub connection: Option<String>,
    /// The request method, upper-case, when the code says it plainly (`type: POST`,
    /// `postUrl`, `invokeUrl(url, "PUT")`).
    pub method: Option<String>,
}

/// The semantic model of one source file: every HTTP call with what may flow into it.
#[derive(Clone, Debug, Default)]
pub struct SemanticModel {
    /// HTTP calls in source order.
    pub calls: Vec<HttpCall>,
}

impl SemanticModel {
    /// Analyses every function of `file`; top-level statements form one implicit function.
    pub fn build(source: &str, file: &SourceFile<'_>) -> Self {
        Self::analyse(source, file, None)
    }

    /// [`SemanticModel::build`], told (sorted) offsets among which every expression
    /// [`call_kind`] accepts starts (where the code names a call: see
    /// [`crate::mentions::Mentions::scan_noting_calls`]); then only expressions holding
    /// one are searched for calls, instead of every expression of every statement. Extra
    /// offsets cost a little search; a missing one loses a call.
    pub fn build_with_call_sites(source: &str, file: &SourceFile<'_>, sites: &[TextSize]) -> Self {
        Self::analyse(source, file, Some(sites))
    }

    /// [`SemanticModel::build`] without a [`Survey`]: searching every expression for calls
    /// and following every variable, not only those that may reach a call. Slower, and the
    /// same model.
    #[cfg(test)]
    pub(crate) fn build_following_every_variable(source: &str, file: &SourceFile<'_>) -> Self {
        Self::analyse_surveyed(source, file, None, false)
    }

    fn analyse<'s>(source: &'s str, file: &'s SourceFile<'s>, sites: Option<&'s [TextSize]>) -> Self {
        Self::analyse_surveyed(source, file, sites, true)
    }

    fn analyse_surveyed<'s>(
        source: &'s str,
        file: &'s SourceFile<'s>,
        sites: Option<&'s [TextSize]>,
        surveyed: bool,
    ) -> Self {
        let survey = surveyed.then(|| Survey::of(file, sites));
        let mut model = Analyzer {
            source,
            calls: Vec::new(),
            recorded: FxHashMap::default(),
            survey: survey.as_ref(),
        };
        let mut top_level = Env::for_function();
        for item in &file.items {
            match item {
                Item::Function(function) => {
                    model.block(&function.body.stmts, &mut Env::for_function(), true);
                }
                Item::Statement(stmt) => model.stmt(stmt, &mut top_level, true),
            }
        }
        let mut calls = model.calls;
        calls.sort_by_key(|call| (call.range.start(), call.range.end()));
        SemanticModel { calls }
    }
}

/// How many times a loop body is re-run before its environment is taken as stable.
const MAX_LOOP_ITERATIONS: usize = 4;

struct Analyzer<'s> {
    source: &'s str,
    calls: Vec<HttpCall>,
    /// Each call's index in `calls`, by range.
    recorded: FxHashMap<TextRange, usize>,
    /// Where the calls are and which variables are worth following; without it, every
    /// expression is searched and every variable followed.
    survey: Option<&'s Survey<'s>>,
}

impl<'s> Analyzer<'s> {
    fn block<'a>(&mut self, stmts: &[Stmt<'a>], env: &mut Env<'a>, record: bool) {
        for stmt in stmts {
            self.stmt(stmt, env, record);
        }
    }

    fn stmt<'a>(&mut self, stmt: &Stmt<'a>, env: &mut Env<'a>, record: bool) {
        match &stmt.kind {
            StmtKind::Assign { target, op, value } => {
                if record {
                    self.find_calls(target, env);
                    self.find_calls(value, env);
                }
                let ExprKind::Ident(name) = target.kind else { return };
                if !self.follows(name) {
                    return;
                }
                let new = self.eval(value, env);
                match op {
                    AssignOp::Assign => env.set(name, Rc::new(new)),
                    AssignOp::Add => env.modify(name).join(&new),
                    _ => env.set(name, Rc::default()),
                }
            }
            StmtKind::Expr(expr) => {
                if record {
                    self.find_calls(expr, env);
                }
                self.apply_mutation(expr, stmt.range, env);
            }
            StmtKind::If { branches, else_block } => {
                // Each path runs from the environment before the `if` and is rolled back.
                let mut paths = Vec::with_capacity(branches.len() + 1);
                for branch in branches {
                    if record {
                        self.find_calls(branch.condition, env);
                    }
                    paths.push(self.rolled_back(&branch.body.stmts, env, record));
                }
                let no_else: &[Stmt<'a>] = &[];
                let fallthrough = else_block.as_ref().map_or(no_else, |block| &block.stmts);
                paths.push(self.rolled_back(fallthrough, env, record));
                join_paths(env, &paths);
            }
            StmtKind::ForEach {
                index,
                var,
                iterable,
                body,
            } => {
                if record {
                    self.find_calls(iterable, env);
                }
                // The loop variable may hold what the list may hold (`for each url in urls`).
                if !index && self.follows(var.text) {
                    let element = self.eval(iterable, env);
                    env.set(var.text, Rc::new(element));
                }
                self.loop_body(&body.stmts, env, record);
            }
            StmtKind::While { condition, body } => {
                if record {
                    self.find_calls(condition, env);
                }
                self.loop_body(&body.stmts, env, record);
            }
            StmtKind::Try { body, catch_body, .. } => {
                let mark = env.mark();
                self.block(&body.stmts, env, record);
                if let Some(catch_body) = catch_body {
                    // The handler may start after any statement of the body: it sees each
                    // variable the body wrote as before or after it.
                    let handler_mark = env.mark();
                    for change in env.changes_since(mark) {
                        let mut value = change.before.map(|before| (*before).clone()).unwrap_or_default();
                        value.join(&change.after);
                        env.set(change.name, Rc::new(value));
                    }
                    self.block(&catch_body.stmts, env, record);
                    // Then the code after the `try` runs after the body or after the handler.
                    for change in env.roll_back(handler_mark) {
                        join_into(env, change.name, &change.after);
                    }
                }
                env.keep(mark);
            }
            StmtKind::Return(Some(e))
            | StmtKind::Info(Some(e))
            | StmtKind::Delete { target: e }
            | StmtKind::Word { operand: Some(e), .. }
                if record =>
            {
                self.find_calls(e, env);
            }
            _ => {}
        }
    }

    /// A loop body runs zero or more times: iterate to a fixed point. Every pass records the
    /// calls it sees: a pass starts from an environment holding at most what the next one
    /// starts from, so what it records is part of what the next records (values only
    /// grow), and the calls end up holding what the pass from the fixed point found. The
    /// pass that confirms the fixed point started from it, so no extra pass is needed.
    fn loop_body<'a>(&mut self, stmts: &[Stmt<'a>], env: &mut Env<'a>, record: bool) {
        for _ in 0..MAX_LOOP_ITERATIONS {
            let mut grew = false;
            for change in self.rolled_back(stmts, env, record) {
                grew |= join_into(env, change.name, &change.after);
            }
            if !grew {
                return;
            }
        }
        if record {
            self.rolled_back(stmts, env, true);
        }
    }

    /// Runs `stmts` from `env` and puts `env` back as it was; returns what they wrote.
    fn rolled_back<'a>(&mut self, stmts: &[Stmt<'a>], env: &mut Env<'a>, record: bool) -> Vec<Change<'a>> {
        let mark = env.mark();
        self.block(stmts, env, record);
        env.roll_back(mark)
    }

    /// `m.put(k, v)`, `m.putAll(other)`, `m.remove(k)`, `m.clear()` on a variable.
    fn apply_mutation<'a>(&mut self, expr: &Expr<'a>, statement: TextRange, env: &mut Env<'a>) {
        let Some((variable, mutation)) = mutation(expr) else {
            return;
        };
        if !self.follows(variable) {
            return;
        }
        match mutation {
            Mutation::Put { key, value } => {
                let Some(key) = self.literal_text(key) else {
                    return;
                };
                let value = self.eval(value, env);
                let map = env.modify(variable);
                map.entries.retain(|e| *e.key != *key);
                map.entries.push(Entry {
                    key: key.into(),
                    origin: expr.range,
                    statement: Some(statement),
                    value,
                });
            }
            Mutation::PutAll(other) => {
                let other = self.eval(other, env);
                let map = env.modify(variable);
                for entry in other.entries {
                    map.entries.retain(|e| e.key != entry.key);
                    map.entries.push(entry);
                }
            }
            Mutation::Remove(key) => {
                let Some(key) = self.literal_text(key) else {
                    return;
                };
                if let Some(map) = env.modify_existing(variable) {
                    map.entries.retain(|e| *e.key != *key);
                }
            }
            Mutation::Clear => {
                if let Some(map) = env.modify_existing(variable) {
                    map.entries.clear();
                }
            }
            // A list may hold what is added to it, as a variable may hold what either
            // branch of an `if` gave it.
            Mutation::Add(element) => {
                let element = self.eval(element, env);
                env.modify(variable).join(&element);
            }
        }
    }

    /// Whether the data flow follows `variable` (see [`Survey`]).
    fn follows(&self, variable: &str) -> bool {
        self.survey.is_none_or(|survey| survey.wants(variable))
    }

    /// The lower-cased contents of a string literal.
    fn literal_text(&self, expr: &Expr<'_>) -> Option<String> {
        match &expr.kind {
            ExprKind::String(s) | ExprKind::SingleQuoted(s) => Some(s.value().to_ascii_lowercase()),
            ExprKind::Paren(inner) => self.literal_text(inner),
            _ => None,
        }
    }

    fn eval<'a>(&self, expr: &Expr<'a>, env: &Env<'_>) -> Value {
        match &expr.kind {
            ExprKind::String(_) | ExprKind::SingleQuoted(_) => Value::literal(expr.range),
            ExprKind::Ident(name) => env.get(name).map(|value| (**value).clone()).unwrap_or_default(),
            ExprKind::Paren(inner) => self.eval(inner, env),
            ExprKind::Binary(chain) if chain.rest.iter().all(|(op, _)| *op == BinaryOp::Add) => {
                // Literals and variables are appended as they are, without a value each.
                let (mut value, mut seen) = (Value::default(), FragmentSet::default());
                for operand in chain.operands() {
                    match &operand.kind {
                        ExprKind::String(_) | ExprKind::SingleQuoted(_) => {
                            seen.push_new(&mut value.fragments, Fragment { range: operand.range });
                        }
                        ExprKind::Ident(name) => {
                            if let Some(variable) = env.get(name) {
                                value.append(variable, &mut seen);
                            }
                        }
                        _ => value.append(&self.eval(operand, env), &mut seen),
                    }
                }
                value
            }
            ExprKind::Map(entries) => Value {
                fragments: Vec::new(),
                entries: entries
                    .iter()
                    .filter_map(|entry| {
                        Some(Entry {
                            key: self.literal_text(&entry.key)?.into(),
                            origin: entry.range(),
                            statement: None,
                            value: self.eval(&entry.value, env),
                        })
                    })
                    .collect(),
            },
            ExprKind::Call { callee, args, .. } => self.eval_call(callee, args, env),
            ExprKind::List(items) => items
                .iter()
                .fold(Value::default(), |value, item| value.joined(&self.eval(item, env))),
            _ => Value::default(),
        }
    }

    /// Calls that pass a value through: conversions, `if(c,a,b)`, `ifnull(a,b)`, URL encoding.
    fn eval_call<'a>(&self, callee: &Expr<'a>, args: &[Arg<'a>], env: &Env<'_>) -> Value {
        let union_of_args = |args: &[Arg<'a>]| {
            args.iter()
                .fold(Value::default(), |value, arg| value.joined(&self.eval(arg.value, env)))
        };
        match &callee.kind {
            ExprKind::Ident(name) if name.eq_ignore_ascii_case("if") => union_of_args(args.get(1..).unwrap_or(&[])),
            ExprKind::Ident(name) if name.eq_ignore_ascii_case("ifnull") || name.eq_ignore_ascii_case("encodeUrl") => {
                union_of_args(args)
            }
            ExprKind::Member { object, name } => match lowercase_word(name.text, &mut [0; WORD_MAX]) {
                // `zoho.encryption.urlEncode(x)` passes its argument through.
                "urlencode" if matches!(object.kind, ExprKind::Member { .. }) => union_of_args(args),
                "tostring" | "totext" | "tomap" | "tojson" | "trim" | "geturl" | "urlencode" | "encodeurl" => {
                    self.eval(object, env)
                }
                "concat" => self.eval(object, env).joined(&union_of_args(args)),
                _ => Value::default(),
            },
            _ => Value::default(),
        }
    }

    /// Records every HTTP call inside `expr`, with values evaluated in `env`.
    fn find_calls(&mut self, expr: &Expr<'_>, env: &Env<'_>) {
        if is_leaf(expr) {
            return;
        }
        if let Some(survey) = self.survey {
            for call in survey.calls_within(expr.range) {
                if let Some(call) = self.http_call(call, env) {
                    self.record(call);
                }
            }
            return;
        }
        let mut stack = vec![expr];
        while let Some(expr) = stack.pop() {
            if let Some(call) = self.http_call(expr, env) {
                self.record(call);
            }
            expr.push_children(&mut stack);
        }
    }

    /// A call seen again (a loop body is walked until its values settle) joins what it sends.
    fn record(&mut self, call: HttpCall) {
        match self.recorded.get(&call.range).map(|&at| &mut self.calls[at]) {
            Some(existing) => {
                existing.url.join(&call.url);
                existing.body.join(&call.body);
                existing.headers.join(&call.headers);
            }
            None => {
                self.recorded.insert(call.range, self.calls.len());
                self.calls.push(call);
            }
        }
    }

    fn http_call(&self, expr: &Expr<'_>, env: &Env<'_>) -> Option<HttpCall> {
        let kind = call_kind(expr)?;
        match &expr.kind {
            ExprKind::Task(task) => Some(self.task_call(task, kind, expr.range, env)),
            ExprKind::Call { args, .. } => Some(self.function_call(kind, args, expr.range, env)),
            _ => None,
        }
    }

    fn task_call(&self, task: &TaskBlock<'_>, kind: CallKind, range: TextRange, env: &Env<'_>) -> HttpCall {
        let params = TaskParams::of(task);
        let value_of = |param: Option<&TaskParam<'_>>| {
            param
                .and_then(|p| p.value.as_expr())
                .map(|e| self.eval(e, env))
                .unwrap_or_default()
        };
        let url = value_of(if kind == CallKind::InvokeApiTask {
            params.path
        } else {
            params.url
        });
        let body = value_of(params.parameters).joined(&value_of(params.body));
        let api_service = params.service.map(|p| self.source[p.value.range()].trim().to_owned());
        HttpCall {
            kind,
            range,
            url,
            body,
            headers: value_of(params.headers),
            has_headers: params.headers.is_some(),
            api_service,
            has_connection: params
                .connection
                .is_some_and(|p| !matches!(p.value, TaskValue::Missing(_))),
            connection: params.connection.and_then(|p| match &p.value {
                // `connection: <connection_name>`, pasted from a sample as it stands.
                TaskValue::BareWords { raw, .. } => Some(raw.trim().to_owned()),
                value => match value.as_expr()?.kind {
                    ExprKind::String(s) | ExprKind::SingleQuoted(s) => Some(s.value().into_owned()),
                    _ => None,
                },
            }),
            method: params.method.and_then(|p| method_name(&self.source[p.value.range()])),
        }
    }

    /// `getUrl(url[, headers|simple][, simple])`, `postUrl(url, body[, headers|simple][, simple])`,
    /// `invokeUrl(url, type[, body[, headers]][, simple])` (reference §4.3–4.4).
    fn function_call<'a>(&self, kind: CallKind, args: &[Arg<'a>], range: TextRange, env: &Env<'_>) -> HttpCall {
        let value_at = |index: usize| {
            args.get(index)
                .filter(|arg| !matches!(arg.value.kind, ExprKind::Bool(_)))
                .map(|arg| self.eval(arg.value, env))
                .unwrap_or_default()
        };
        let headers_at = match kind {
            CallKind::GetUrl => 1,
            CallKind::PostUrl => 2,
            _ => 3,
        };
        let body = match kind {
            CallKind::GetUrl => Value::default(),
            CallKind::PostUrl => value_at(1),
            _ => value_at(2),
        };
        let has_headers = args
            .get(headers_at)
            .is_some_and(|arg| !matches!(arg.value.kind, ExprKind::Bool(_)));
        HttpCall {
            kind,
            range,
            url: value_at(0),
            body,
            headers: value_at(headers_at),
            has_headers,
            api_service: None,
            has_connection: false,
            connection: None,
            method: match kind {
                CallKind::GetUrl => Some("GET".to_owned()),
                CallKind::PostUrl => Some("POST".to_owned()),
                _ => match args.get(1).map(|a| &a.value.kind) {
                    Some(ExprKind::String(s) | ExprKind::SingleQuoted(s)) => method_name(s.contents()),
                    _ => None,
                },
            },
        }
    }
}

/// `get`, `"POST"`, ` PUT ` → the method's upper-case name; `None` for anything else (a
/// variable, a typo).
fn method_name(text: &str) -> Option<String> {
    let name = text.trim().trim_matches(['"', '\'']).trim().to_ascii_uppercase();
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
        .contains(&name.as_str())
        .then_some(name)
}

/// The parameters of a task block the data flow reads: for each key, the first parameter
/// with that key, ASCII-case-insensitively, found in one pass for all of them.
#[derive(Default)]
struct TaskParams<'t, 'a> {
    url: Option<&'t TaskParam<'a>>,
    path: Option<&'t TaskParam<'a>>,
    parameters: Option<&'t TaskParam<'a>>,
    body: Option<&'t TaskParam<'a>>,
    headers: Option<&'t TaskParam<'a>>,
    service: Option<&'t TaskParam<'a>>,
    connection: Option<&'t TaskParam<'a>>,
    method: Option<&'t TaskParam<'a>>,
}

impl<'t, 'a> TaskParams<'t, 'a> {
    fn of(task: &'t TaskBlock<'a>) -> Self {
        let mut params = TaskParams::default();
        for param in &task.params {
            // Each key read is one word: a key of two (`reply to`) lower-cases to no match.
            let slot = match lowercase_word(param.key.raw, &mut [0; WORD_MAX]) {
                "url" => &mut params.url,
                "path" => &mut params.path,
                "parameters" => &mut params.parameters,
                "body" => &mut params.body,
                "headers" => &mut params.headers,
                "service" => &mut params.service,
                "connection" => &mut params.connection,
                "type" => &mut params.method,
                _ => continue,
            };
            slot.get_or_insert(param);
        }
        params
    }
}

/// A statement's change to a map held in a variable.
enum Mutation<'e, 'a> {
    Put {
        key: &'e Expr<'a>,
        value: &'e Expr<'a>,
    },
    PutAll(&'e Expr<'a>),
    Remove(&'e Expr<'a>),
    Clear,
    /// `list.add(x)`, `list.addAll(other)`.
    Add(&'e Expr<'a>),
}

/// `m.put(k, v)`, `m.putAll(other)`, `m.remove(k)` or `m.clear()`: the variable and the change.
fn mutation<'e, 'a>(expr: &'e Expr<'a>) -> Option<(&'a str, Mutation<'e, 'a>)> {
    let ExprKind::Call { callee, args, .. } = &expr.kind else {
        return None;
    };
    let ExprKind::Member { object, name } = &callee.kind else {
        return None;
    };
    let ExprKind::Ident(variable) = object.kind else {
        return None;
    };
    let mut buffer = [0; WORD_MAX];
    let mutation = match (lowercase_word(name.text, &mut buffer), args.as_slice()) {
        ("put", [key, value]) => Mutation::Put {
            key: key.value,
            value: value.value,
        },
        ("putall", [other]) => Mutation::PutAll(other.value),
        ("remove", [key]) => Mutation::Remove(key.value),
        ("clear", []) => Mutation::Clear,
        ("add" | "addall", [element]) => Mutation::Add(element.value),
        _ => return None,
    };
    Some((variable, mutation))
}

/// The variable a statement gives a value to by `put` or `putAll`, and that value.
fn mutated_variable<'e, 'a>(expr: &'e Expr<'a>) -> Option<(&'a str, &'e Expr<'a>)> {
    match mutation(expr)? {
        (variable, Mutation::Put { value, .. } | Mutation::PutAll(value) | Mutation::Add(value)) => {
            Some((variable, value))
        }
        _ => None,
    }
}

/// Longer than any method name or task key the data flow follows (`urlencode`, `parameters`).
const WORD_MAX: usize = 16;

/// `name` lower-cased into `buffer`, without allocating: the data flow asks for the method
/// of every call statement and the key of every task parameter. A name too long to be one
/// it follows reads as "".
fn lowercase_word<'b>(name: &str, buffer: &'b mut [u8; WORD_MAX]) -> &'b str {
    let Some(lower) = buffer.get_mut(..name.len()) else {
        return "";
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).unwrap_or("")
}

/// Joins `value` into the variable's (an empty one if it has none); whether it grew.
fn join_into<'a>(env: &mut Env<'a>, name: &'a str, value: &Rc<Value>) -> bool {
    let joined = match env.get(name) {
        Some(old) if Rc::ptr_eq(old, value) => return false,
        Some(old) => {
            let mut joined = (**old).clone();
            joined.join(value);
            if joined == **old {
                return false;
            }
            joined
        }
        None => {
            let mut joined = Value::default();
            joined.join(value);
            joined
        }
    };
    env.set(name, Rc::new(joined));
    true
}

/// After an `if`: each variable a path wrote takes the join of its values on every path,
/// in path order (a path that did not write it has the value from before the `if`).
fn join_paths<'a>(env: &mut Env<'a>, paths: &[Vec<Change<'a>>]) {
    let mut names: Vec<&'a str> = Vec::new();
    let mut seen: FxHashSet<&'a str> = FxHashSet::default();
    for change in paths.iter().flatten() {
        if seen.insert(change.name) {
            names.push(change.name);
        }
    }
    if names.is_empty() {
        return;
    }
    let written: Vec<FxHashMap<&str, &Rc<Value>>> = paths
        .iter()
        .map(|path| path.iter().map(|change| (change.name, &change.after)).collect())
        .collect();
    for name in names {
        let before = env.get(name).cloned();
        let mut values = written
            .iter()
            .filter_map(|path| path.get(name).copied().cloned().or_else(|| before.clone()));
        let Some(mut joined) = values.next() else { continue };
        for value in values {
            if !Rc::ptr_eq(&joined, &value) {
                Rc::make_mut(&mut joined).join(&value);
            }
        }
        let unchanged = before.as_ref().is_some_and(|before| Rc::ptr_eq(before, &joined));
        if !unchanged {
            env.set(name, joined);
        }
    }
}

/// The kind of HTTP call `expr` is, by its shape alone (its values are the data flow's).
pub fn call_kind(expr: &Expr<'_>) -> Option<CallKind> {
    match &expr.kind {
        ExprKind::Task(task) if task.name.is("invokeurl") => Some(CallKind::InvokeUrlTask),
        ExprKind::Task(task) if task.name.is("invokeapi") => Some(CallKind::InvokeApiTask),
        ExprKind::Call { callee, .. } => match callee.kind {
            ExprKind::Ident(name) if name.eq_ignore_ascii_case("getUrl") => Some(CallKind::GetUrl),
            ExprKind::Ident(name) if name.eq_ignore_ascii_case("postUrl") => Some(CallKind::PostUrl),
            ExprKind::Ident(name) if name.eq_ignore_ascii_case("invokeUrl") => Some(CallKind::InvokeUrlFunction),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a call site may start in `range` (always, when the sites are not known).
fn may_hold_a_call(sites: Option<&[TextSize]>, range: TextRange) -> bool {
    let Some(sites) = sites else { return true };
    let from = sites.partition_point(|&site| site < range.start());
    sites.get(from).is_some_and(|&site| site < range.end())
}

/// An expression with nothing inside it, so no call.
fn is_leaf(expr: &Expr<'_>) -> bool {
    matches!(
        expr.kind,
        ExprKind::Ident(_)
            | ExprKind::String(_)
            | ExprKind::SingleQuoted(_)
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::EmptyBraces
            | ExprKind::Error
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_are_lowered_without_allocating_and_long_ones_match_nothing() {
        let lower = |name: &str| lowercase_word(name, &mut [0; WORD_MAX]).to_owned();
        assert_eq!(lower("putAll"), "putall");
        assert_eq!(lower("URLEncode"), "urlencode");
        assert_eq!(lower("größe"), "größe");
        assert_eq!(lower("aMethodNameTooLongToFollow"), "");
    }
}

#[cfg(test)]
mod survey_tests {
    use super::*;

    fn model(source: &str, surveyed: bool) -> String {
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(source, &arena);
        let model = if surveyed {
            SemanticModel::build(source, &parsed.file)
        } else {
            SemanticModel::build_following_every_variable(source, &parsed.file)
        };
        format!("{model:?}")
    }

    fn survey_wants(source: &str, names: &[&str]) -> Vec<bool> {
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(source, &arena);
        let survey = Survey::of(&parsed.file, None);
        names.iter().map(|name| survey.wants(name)).collect()
    }

    #[test]
    fn only_variables_that_may_reach_a_call_are_followed() {
        let source = r#"
            base = "https://www.zohoapis.com/crm/v2/";
            message = "Dear " + record.get("Name") + base;
            for each r in rows { url = path; path = base + "Leads"; }
            m = Map();
            m.put("authtoken", token);
            other.put("x", message);
            r = invokeurl [ url: url type: GET parameters: m ];
        "#;
        assert_eq!(
            survey_wants(
                source,
                &["url", "path", "base", "m", "token", "message", "other", "r", "rows"]
            ),
            [true, true, true, true, true, false, false, false, false]
        );
    }

    /// Random programs over a few variables, nested in branches, loops and `try`: the
    /// surveyed model is the model that follows every variable.
    #[test]
    fn the_survey_changes_no_model_of_random_programs() {
        const STATEMENTS: &[&str] = &[
            r#"a = "https://www.zohoapis.com/crm/v2/Leads?authtoken=" + b;"#,
            r#"b = c;"#,
            r#"c = "1000.abcdef";"#,
            r#"a += "&scope=crmapi";"#,
            r#"m = Map();"#,
            r#"m.put("authtoken", c);"#,
            r#"m.put("Authorization", "Zoho-authtoken " + b);"#,
            r#"m.putAll(n);"#,
            r#"m.remove("authtoken");"#,
            r#"n = {"authtoken": a, "scope": "crmapi"};"#,
            r#"n.clear();"#,
            r#"d = ifnull(a, c).toString();"#,
            r#"e = d + zoho.encryption.urlEncode(b);"#,
            r#"r = invokeurl [ url: a type: GET parameters: m headers: n ];"#,
            r#"r = getUrl(d + e);"#,
            r#"info postUrl(e, m, n);"#,
            r#"x = invokeUrl(a, "POST", m);"#,
            r#"x = postUrl(getUrl(a + c), m);"#,
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut with_values = 0;
        for _ in 0..400 {
            let mut program = String::new();
            let mut depth = 0;
            for _ in 0..12 {
                match next(8) {
                    0 if depth < 3 => {
                        program.push_str(["if (a == b) {", "for each i in l {", "try {"][next(3)]);
                        depth += 1;
                    }
                    1 if depth > 0 => {
                        program.push_str(["} else {", "} catch (e) {", "}"][next(3)]);
                        if program.ends_with("}") {
                            depth -= 1;
                        }
                    }
                    _ => program.push_str(STATEMENTS[next(STATEMENTS.len())]),
                }
                program.push('\n');
            }
            program.push_str(&"}".repeat(depth));
            let surveyed = model(&program, true);
            assert_eq!(surveyed, model(&program, false), "{program}");
            with_values += usize::from(surveyed.contains("fragments: [Fragment"));
        }
        assert!(with_values > 100, "programs whose calls carry values: {with_values}");
    }
}
