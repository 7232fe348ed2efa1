//! The Deluge abstract syntax tree. Every node has a byte range; names and literals borrow
//! their text from the source, and the nodes live in the parse's [`crate::Arena`]: a child
//! is a plain reference, a list of children a [`Nodes`] slice, and nothing needs dropping.
//!
//! Shapes chosen for the analyses that follow:
//! - a chain of binary operators of one precedence level is one flat [`ExprKind::Binary`]
//!   node, so a 5,000-part string concatenation is a list, not a 5,000-deep tree;
//! - `if / else if / else` is one [`StmtKind::If`] with a list of branches;
//! - task blocks (`invokeurl [...]`, `sendmail [...]`, any `name [key: value]`) and
//!   `insert into` are expressions, since they are assigned as often as they stand alone.

use text_size::TextRange;

/// A list of child nodes, in the parse's arena. It reads as a slice (`iter`, `len`,
/// indexing, `for .. in`).
#[derive(PartialEq)]
pub struct Nodes<'a, T>(&'a [T]);

// By hand: the derives would ask `T: Copy`, but copying a shared slice never copies a `T`.
impl<T> Clone for Nodes<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Nodes<'_, T> {}

impl<'a, T> Nodes<'a, T> {
    /// No nodes.
    pub const EMPTY: Self = Nodes(&[]);

    pub(crate) fn new(nodes: &'a [T]) -> Self {
        Nodes(nodes)
    }

    /// The nodes as a slice that outlives this handle.
    pub fn as_slice(&self) -> &'a [T] {
        self.0
    }
}

impl<T> std::ops::Deref for Nodes<'_, T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.0
    }
}

impl<'a, T> IntoIterator for Nodes<'a, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &Nodes<'a, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Nodes<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A parsed file: top-level function definitions and statements, in source order.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceFile<'a> {
    /// Top-level items.
    pub items: Nodes<'a, Item<'a>>,
    /// The whole text.
    pub range: TextRange,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item<'a> {
    /// `string standalone.fn(String a) { ... }`.
    Function(Function<'a>),
    /// A statement of a header-less body.
    Statement(Stmt<'a>),
}

/// A function with a header: `rettype [namespace.]name(Type p, ...) { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Function<'a> {
    /// The declared return type (`void`, `string`, `map`, ...).
    pub return_type: Name<'a>,
    /// The category or namespace (`standalone`, `automation`, a Creator namespace).
    pub namespace: Option<Name<'a>>,
    /// The function's name.
    pub name: Name<'a>,
    /// Parameters in order.
    pub params: Nodes<'a, Param<'a>>,
    /// The body.
    pub body: Block<'a>,
    /// From the return type to the closing brace.
    pub range: TextRange,
}

impl Function<'_> {
    /// `namespace.name`, or `name` without a namespace.
    pub fn qualified_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}.{}", ns.text, self.name.text),
            None => self.name.text.to_owned(),
        }
    }
}

/// A typed parameter: `String dealId`, `list:int userIds`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param<'a> {
    /// The type as written, element type included (`list:int`).
    pub ty: Name<'a>,
    /// The parameter's name.
    pub name: Name<'a>,
}

/// A word from the source: an identifier or a keyword used as a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name<'a> {
    /// The text as written.
    pub text: &'a str,
    /// Where it is.
    pub range: TextRange,
}

impl Name<'_> {
    /// ASCII-case-insensitive comparison, the way Deluge matches keywords and built-ins.
    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }
}

/// `{ statements }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block<'a> {
    /// Statements in order.
    pub stmts: Nodes<'a, Stmt<'a>>,
    /// From `{` to `}` (or to where the block was cut off).
    pub range: TextRange,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt<'a> {
    /// What kind of statement.
    pub kind: StmtKind<'a>,
    /// Its range, the terminating `;` included when present.
    pub range: TextRange,
}

/// The kinds of statement. Their expressions are arena references, where the parser built
/// them (copying each into its statement was a tenth of parsing).
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind<'a> {
    /// `target op value;` where target is a name or a member chain.
    Assign {
        /// The assigned place.
        target: &'a Expr<'a>,
        /// `=`, `+=`, ...
        op: AssignOp,
        /// The assigned value.
        value: &'a Expr<'a>,
    },
    /// An expression evaluated for its effect: a call, a task block, `insert into`.
    Expr(&'a Expr<'a>),
    /// `if (c) {..} else if (c) {..} else {..}`.
    If {
        /// The `if` and every `else if`, in order.
        branches: Nodes<'a, IfBranch<'a>>,
        /// The final `else`.
        else_block: Option<Block<'a>>,
    },
    /// `for each [index] var in iterable { body }`.
    ForEach {
        /// Whether this is `for each index`.
        index: bool,
        /// The loop variable.
        var: Name<'a>,
        /// What is iterated.
        iterable: &'a Expr<'a>,
        /// The body.
        body: Block<'a>,
    },
    /// `while (c) { }`: not Deluge, parsed so the rest of the file survives.
    While {
        /// The condition.
        condition: &'a Expr<'a>,
        /// The body.
        body: Block<'a>,
    },
    /// `try { } catch (e) { }`.
    Try {
        /// The guarded block.
        body: Block<'a>,
        /// The catch variable.
        catch_var: Option<Name<'a>>,
        /// The handler (missing when the source has no `catch`).
        catch_body: Option<Block<'a>>,
    },
    /// `return [expr];`.
    Return(Option<&'a Expr<'a>>),
    /// `info expr;`.
    Info(Option<&'a Expr<'a>>),
    /// `break;`.
    Break,
    /// `continue;`.
    Continue,
    /// `delete from Form[criteria];`.
    Delete {
        /// The form and criteria, as a fetch expression.
        target: &'a Expr<'a>,
    },
    /// Creator client statements: `alert x;`, `cancel submit;`, `hide F;`, `reload;` ...
    Word {
        /// The keyword and any following fixed words (`cancel submit`).
        words: Nodes<'a, Name<'a>>,
        /// The operand, if any (`alert "text"`, `hide Field`).
        operand: Option<&'a Expr<'a>>,
    },
    /// A lone `;`.
    Empty,
    /// Tokens that could not be parsed as a statement (an error was reported).
    Error,
}

/// One `if (condition) { body }` arm.
#[derive(Clone, Debug, PartialEq)]
pub struct IfBranch<'a> {
    /// The condition.
    pub condition: &'a Expr<'a>,
    /// The body.
    pub body: Block<'a>,
}

/// Assignment operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
    /// `%=`
    Rem,
}

impl AssignOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignOp::Assign => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
            AssignOp::Rem => "%=",
        }
    }
}

/// An expression. `Copy`: its children are references into the arena.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expr<'a> {
    /// What kind of expression.
    pub kind: ExprKind<'a>,
    /// Its range.
    pub range: TextRange,
}

/// The kinds of expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ExprKind<'a> {
    /// A name: a variable, a form, a parameter.
    Ident(&'a str),
    /// A double-quoted string.
    String(StringLit<'a>),
    /// A single-quoted literal (`'text'` or `'15-Aug-1947'`).
    SingleQuoted(StringLit<'a>),
    /// An integer that fits in `i64`, or a decimal.
    Number(&'a str),
    /// `true`/`false` in any case.
    Bool(bool),
    /// `null` in any case.
    Null,
    /// `( expr )`, kept so a linter or formatter stays faithful.
    Paren(&'a Expr<'a>),
    /// A left-associative chain of operators of one precedence level: `a + b - c`.
    Binary(&'a BinaryChain<'a>),
    /// `!x`, `-x`, `+x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: &'a Expr<'a>,
    },
    /// `object.name`.
    Member {
        /// The expression left of the dot.
        object: &'a Expr<'a>,
        /// The member's name.
        name: Name<'a>,
    },
    /// `callee(args)`; a method call has a [`ExprKind::Member`] callee.
    Call {
        /// The called expression.
        callee: &'a Expr<'a>,
        /// `String` in `List:String(...)`.
        type_arg: Option<&'a Name<'a>>,
        /// Arguments in order.
        args: Nodes<'a, Arg<'a>>,
    },
    /// Creator record fetch: `Form[criteria] sort by F desc range from a to b`.
    Fetch(&'a Fetch<'a>),
    /// `{ "k": v, ... }`.
    Map(Nodes<'a, MapEntry<'a>>),
    /// `{ a, b }` or `[a, b]`.
    List(Nodes<'a, Expr<'a>>),
    /// `{}`: a map or a list, decided by use.
    EmptyBraces,
    /// A task block: `invokeurl [ url: u type: GET ]`.
    Task(&'a TaskBlock<'a>),
    /// `insert into Form [ Field = value ... ]`.
    Insert(&'a InsertInto<'a>),
    /// Creator UI call on a field: `input.State:ui.add(list)`.
    UiCall {
        /// The field.
        target: &'a Expr<'a>,
        /// The call after the colon.
        call: &'a Expr<'a>,
    },
    /// Something that could not be parsed (an error was reported).
    Error,
}

impl<'a> Expr<'a> {
    /// Pushes the direct sub-expressions onto `stack`, for an explicit-stack walk.
    pub fn push_children<'e>(&'e self, stack: &mut Vec<&'e Expr<'a>>) {
        match &self.kind {
            ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => stack.push(inner),
            ExprKind::Binary(chain) => stack.extend(chain.operands()),
            ExprKind::Member { object, .. } => stack.push(object),
            ExprKind::Call { callee, args, .. } => {
                stack.push(callee);
                for arg in args {
                    stack.extend(arg.key);
                    stack.push(arg.value);
                }
            }
            ExprKind::Fetch(fetch) => {
                stack.push(&fetch.form);
                stack.push(&fetch.criteria);
                if let Some((from, to)) = &fetch.range_clause {
                    stack.push(from);
                    stack.push(to);
                }
            }
            ExprKind::Map(entries) => {
                for entry in entries {
                    stack.push(&entry.key);
                    stack.push(&entry.value);
                }
            }
            ExprKind::List(items) => stack.extend(items.iter()),
            ExprKind::Task(task) => stack.extend(task.params.iter().flat_map(|p| p.value.exprs())),
            ExprKind::Insert(insert) => stack.extend(insert.fields.iter().map(|(_, e)| e)),
            ExprKind::UiCall { target, call } => {
                stack.push(target);
                stack.push(call);
            }
            _ => {}
        }
    }
}

/// A string literal as written, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StringLit<'a> {
    /// The source text between and including the quotes.
    pub raw: &'a str,
}

impl<'a> StringLit<'a> {
    /// The text between the quotes, escapes not yet interpreted.
    pub fn contents(&self) -> &'a str {
        let inner = &self.raw[1..];
        inner.strip_suffix(&self.raw[..1]).unwrap_or(inner)
    }

    /// The value: `\n \t \r \" \' \\ \/` interpreted, other escapes kept as written.
    pub fn value(&self) -> std::borrow::Cow<'a, str> {
        let contents = self.contents();
        if !contents.contains('\\') {
            return contents.into();
        }
        let mut value = String::with_capacity(contents.len());
        let mut chars = contents.chars();
        while let Some(ch) = chars.next() {
            if ch != '\\' {
                value.push(ch);
                continue;
            }
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some(c @ ('"' | '\'' | '\\' | '/')) => value.push(c),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => value.push('\\'),
            }
        }
        value.into()
    }

    /// Whether a single-quoted literal holds a date or date-time (`'15-Aug-1947 19:00:00'`).
    pub fn is_date_time(&self) -> bool {
        crate::date::looks_like_date_time(self.contents())
    }
}

/// A chain `first op1 operand1 op2 operand2 ...`, evaluated left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryChain<'a> {
    /// The leftmost operand.
    pub first: &'a Expr<'a>,
    /// Each operator with its right operand.
    pub rest: Nodes<'a, (BinaryOp, &'a Expr<'a>)>,
}

impl<'a> BinaryChain<'a> {
    /// All operands, left to right.
    pub fn operands(&self) -> impl Iterator<Item = &Expr<'a>> {
        std::iter::once(self.first).chain(self.rest.iter().map(|(_, e)| *e))
    }
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    LtEq,
    /// `>=`
    GtEq,
    /// `=` used as a comparison, as Zoho's editors accept it in conditions and criteria
    /// (`if(stage = "Lost")`, `Orders[ID = input.Id]`): the same test as `==`.
    SingleEq,
    /// `in` (Creator criteria)
    In,
    /// `not in` (Creator criteria and conditions).
    NotIn,
    /// `+` (also string concatenation)
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Or => "||",
            And => "&&",
            Eq => "==",
            NotEq => "!=",
            Lt => "<",
            Gt => ">",
            LtEq => "<=",
            GtEq => ">=",
            SingleEq => "=",
            In => "in",
            NotIn => "not in",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Rem => "%",
        }
    }
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
}

impl UnaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Neg => "-",
            UnaryOp::Plus => "+",
        }
    }
}

/// A call argument; `key: value` inside `Collection("k": v)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg<'a> {
    /// The key of a `key: value` argument (rare, so kept out of line).
    pub key: Option<&'a Expr<'a>>,
    /// The value (in the arena, where the parser built it: a call's arguments are most of a
    /// program's expressions, and copying each into the list was a tenth of parsing).
    pub value: &'a Expr<'a>,
}

/// A `key: value` entry of a map literal.
#[derive(Clone, Debug, PartialEq)]
pub struct MapEntry<'a> {
    /// The key expression (usually a string).
    pub key: Expr<'a>,
    /// The value expression.
    pub value: Expr<'a>,
}

impl MapEntry<'_> {
    /// From the key to the value.
    pub fn range(&self) -> TextRange {
        self.key.range.cover(self.value.range)
    }
}

/// `Form[criteria] sort by Field [asc|desc] range from a to b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetch<'a> {
    /// The form (a name or member chain).
    pub form: Expr<'a>,
    /// The criteria between the brackets.
    pub criteria: Expr<'a>,
    /// `sort by Field [asc|desc]`.
    pub sort: Option<SortBy<'a>>,
    /// `range from a to b`.
    pub range_clause: Option<(Expr<'a>, Expr<'a>)>,
}

/// `sort by Field desc`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortBy<'a> {
    /// The field sorted on.
    pub field: Name<'a>,
    /// `true` for `desc`.
    pub descending: bool,
}

/// `name [ key: value ... ]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskBlock<'a> {
    /// The task's name: `invokeurl`, `invokeapi`, `sendmail`, ...
    pub name: Name<'a>,
    /// Key/value pairs in order.
    pub params: Nodes<'a, TaskParam<'a>>,
    /// From `[` to `]`.
    pub bracket_range: TextRange,
}

/// One `key: value` pair of a task block.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskParam<'a> {
    /// The key (`url`, `content-type`, `reply to`).
    pub key: TaskKey<'a>,
    /// The value.
    pub value: TaskValue<'a>,
    /// From the key to the end of the value.
    pub range: TextRange,
}

/// A task key, possibly hyphenated or of two words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskKey<'a> {
    /// The key as written.
    pub raw: &'a str,
    /// Where it is.
    pub range: TextRange,
}

/// A task value: an expression, bare words (`application/json`, `PLAIN TEXT`), or nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskValue<'a> {
    /// An ordinary expression (a lone bare word such as `POST` is an [`ExprKind::Ident`]).
    Expr(Expr<'a>),
    /// `file:obj` in sendmail attachments, or several of them separated by commas
    /// (`file:a,file:b`): never empty.
    Prefixed(Nodes<'a, PrefixedValue<'a>>),
    /// A run of words and punctuation that is not an expression.
    BareWords {
        /// The text as written.
        raw: &'a str,
        /// Where it is.
        range: TextRange,
    },
    /// `key: ]` with nothing after the colon.
    Missing(TextRange),
}

impl<'a> TaskValue<'a> {
    /// The value's range.
    pub fn range(&self) -> TextRange {
        match self {
            TaskValue::Expr(e) => e.range,
            TaskValue::Prefixed(items) => match (items.first(), items.last()) {
                (Some(first), Some(last)) => first.range().cover(last.range()),
                _ => TextRange::default(),
            },
            TaskValue::BareWords { range, .. } | TaskValue::Missing(range) => *range,
        }
    }

    /// The expression, when the value is one (or one prefixed value).
    pub fn as_expr(&self) -> Option<&Expr<'a>> {
        match self {
            TaskValue::Expr(e) => Some(e),
            TaskValue::Prefixed(items) if items.len() == 1 => Some(&items[0].value),
            _ => None,
        }
    }

    /// Every expression of the value, in order.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr<'a>> {
        let (single, prefixed) = match self {
            TaskValue::Expr(e) => (Some(e), Nodes::EMPTY),
            TaskValue::Prefixed(items) => (None, *items),
            TaskValue::BareWords { .. } | TaskValue::Missing(_) => (None, Nodes::EMPTY),
        };
        single
            .into_iter()
            .chain(prefixed.as_slice().iter().map(|item| &item.value))
    }
}

/// `file:obj` or `template:Invoice as PDF`: a prefix word (`file`, `template`, `view`,
/// `report`), an expression, and the format a Creator attachment is sent in.
#[derive(Clone, Debug, PartialEq)]
pub struct PrefixedValue<'a> {
    /// The prefix.
    pub prefix: Name<'a>,
    /// The value after the colon.
    pub value: Expr<'a>,
    /// The word after `as` (`PDF`, `CSV`).
    pub format: Option<Name<'a>>,
}

impl PrefixedValue<'_> {
    /// From the prefix to the end of the value or its format.
    pub fn range(&self) -> TextRange {
        let end = self.format.map_or(self.value.range, |format| format.range);
        self.prefix.range.cover(end)
    }
}

/// `insert into Form [ Field = value ... ]`.
#[derive(Clone, Debug, PartialEq)]
pub struct InsertInto<'a> {
    /// The form's link name.
    pub form: Name<'a>,
    /// Field assignments in order; a subfield's name is one dotted name
    /// (`Name.first_name`).
    pub fields: Nodes<'a, (Name<'a>, Expr<'a>)>,
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// Parsers move nodes by value at every step: a variant that grows them (an inline
    /// `Name` in `Call`, say) slows every parse. Box or arena-allocate the rare parts instead.
    /// An argument is two references: the fast path builds its value in the arena.
    #[test]
    fn nodes_stay_small() {
        assert_eq!(size_of::<Expr<'_>>(), 48);
        assert_eq!(size_of::<Stmt<'_>>(), 88);
        assert_eq!(size_of::<Arg<'_>>(), 16);
    }
}
