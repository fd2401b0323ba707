//! The house rules the compiler does not hold, read from `src/` itself: no two modules
//! depend on each other, however indirectly, and the layers of ARCHITECTURE.md hold.
//!
//! A module is a file or a folder. Every `crate::…`, `super::…` and `self::…` path of a
//! file (in `use` trees and in code, macros included) is resolved to the module it
//! names, following `pub use` re-exports to the module that defines the item. Two
//! modules in different branches of the tree give an edge between the two siblings
//! under their common parent (`ews/item.rs` → `ews/get_item.rs` is an edge in `ews`;
//! `ui/admin.rs` → `cli/status.rs` one at the top), and each folder's graph of siblings
//! must be free of cycles. A file's use of its own folder or of its sub-modules is
//! containment, not an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A module's place in the crate: `["ews", "item"]` for `src/ews/item.rs`.
type ModPath = Vec<String>;

/// One use of another module, where it is written.
#[derive(Debug, Clone)]
struct Use {
    /// The file's module (inline modules such as `mod tests` count as their file).
    from: ModPath,
    /// The module the path names, re-exports followed.
    to: ModPath,
    /// The path as written, resolved to the crate root (`crate::ews::item::ItemId`).
    path: ModPath,
    file: PathBuf,
    line: usize,
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let uses = scan(&src());
    let cycles = cycles(&uses);
    assert!(
        cycles.is_empty(),
        "{} module cycle(s) in src/ (break each: move what both sides need into its own \
         module, or turn one direction around):\n{}",
        cycles.len(),
        cycles.join("\n")
    );
}

#[test]
fn the_layers_of_architecture_md_hold() {
    let uses = scan(&src());
    let mut broken = Vec::new();
    for (layer, folders, forbidden) in LAYERS {
        for u in uses
            .iter()
            .filter(|u| folders.contains(&u.from[0].as_str()))
        {
            if let Some(rule) = forbidden.iter().find(|rule| rule.matches(&u.path)) {
                broken.push(format!(
                    "{}:{}: the {layer} layer must not use {} ({})",
                    u.file.display(),
                    u.line,
                    rule.what,
                    u.path.join("::")
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A use a layer must not make: a path starting with one of `prefixes` (`crate` is the
/// root).
struct Forbidden {
    prefixes: &'static [&'static [&'static str]],
    what: &'static str,
}

impl Forbidden {
    fn matches(&self, path: &ModPath) -> bool {
        self.prefixes.iter().any(|prefix| {
            path.len() >= prefix.len() && prefix.iter().zip(path).all(|(a, b)| a == b)
        })
    }
}

const STORE: Forbidden = Forbidden {
    prefixes: &[&["crate", "store"]],
    what: "the store",
};
const UI: Forbidden = Forbidden {
    prefixes: &[&["crate", "ui"]],
    what: "the screens (ui/)",
};
const CLI: Forbidden = Forbidden {
    prefixes: &[&["crate", "cli"]],
    what: "the command line (cli/)",
};
const SLINT: Forbidden = Forbidden {
    prefixes: &[&["slint"]],
    what: "Slint",
};
const MEETING: Forbidden = Forbidden {
    prefixes: &[&["crate", "calendar", "Meeting"]],
    what: "calendar::Meeting",
};
const PROTOCOLS: Forbidden = Forbidden {
    prefixes: &[&["crate", "ews"], &["crate", "graph"]],
    what: "a protocol",
};
const BEHAVIOUR_FOLDERS: &[&str] = &[
    "sources", "sync", "live", "booking", "content", "diagnose", "fleet", "update", "device",
    "status",
];
const BEHAVIOUR: Forbidden = Forbidden {
    prefixes: &[
        &["crate", "sources"],
        &["crate", "sync"],
        &["crate", "live"],
        &["crate", "booking"],
        &["crate", "content"],
        &["crate", "diagnose"],
        &["crate", "fleet"],
        &["crate", "update"],
        &["crate", "device"],
        &["crate", "status"],
    ],
    what: "the behaviour layer",
};

const MODEL: Forbidden = Forbidden {
    prefixes: &[
        &["crate", "calendar"],
        &["crate", "join"],
        &["crate", "settings"],
        &["crate", "store"],
    ],
    what: "the model layer",
};

/// ARCHITECTURE.md's table: each layer's folders and what they must not use.
const LAYERS: [(&str, &[&str], &[Forbidden]); 4] = [
    (
        "words",
        &["words"],
        &[PROTOCOLS, MODEL, BEHAVIOUR, UI, CLI, SLINT],
    ),
    (
        "protocol",
        &["ews", "graph"],
        &[STORE, UI, CLI, SLINT, MEETING],
    ),
    (
        "model",
        &["calendar", "join", "settings", "store"],
        &[PROTOCOLS, BEHAVIOUR, UI, CLI, SLINT],
    ),
    ("behaviour", BEHAVIOUR_FOLDERS, &[UI, CLI, SLINT]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every use of a crate module, or of `slint`, by the library's files (`main.rs` is a
/// crate of its own).
fn scan(src: &Path) -> Vec<Use> {
    let files = rust_files(src);
    let modules: BTreeSet<ModPath> = files
        .iter()
        .map(|file| module_of(src, file))
        .flat_map(|m| (0..=m.len()).map(move |n| m[..n].to_vec()))
        .collect();
    let mut raw = Vec::new();
    let mut reexports = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let module = module_of(src, file);
        for found in paths_of(&tokens(&text), &module, &modules) {
            if found.reexport.is_some() {
                reexports.insert(found.reexport.clone().unwrap(), found.path.clone());
            }
            raw.push((module.clone(), found, file.clone()));
        }
    }
    let mut uses = Vec::new();
    for (from, found, file) in raw {
        let to = if found.path[0] == "crate" {
            target(&found.path[1..], &modules, &reexports)
        } else {
            vec![found.path[0].clone()]
        };
        uses.push(Use {
            from,
            to,
            path: found.path,
            file: file.strip_prefix(src.parent().unwrap()).unwrap().into(),
            line: found.line,
        });
    }
    uses
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("src/main.rs") {
            files.push(path);
        }
    }
    files
}

fn module_of(src: &Path, file: &Path) -> ModPath {
    let mut parts: ModPath = file
        .strip_prefix(src)
        .unwrap()
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The module `path` (below the crate root) names: its longest prefix that is a module,
/// or, when the next segment is re-exported there, the module the re-export names.
fn target(
    path: &[String],
    modules: &BTreeSet<ModPath>,
    reexports: &BTreeMap<ModPath, ModPath>,
) -> ModPath {
    let mut path = path.to_vec();
    for _ in 0..8 {
        let n = (0..=path.len())
            .rev()
            .find(|&n| modules.contains(&path[..n]))
            .unwrap_or(0);
        let Some(name) = path.get(n) else {
            return path;
        };
        let mut key = path[..n].to_vec();
        key.push(name.clone());
        match reexports.get(&key) {
            Some(original) if original[0] == "crate" => {
                let mut next = original[1..].to_vec();
                next.extend_from_slice(&path[n + 1..]);
                path = next;
            }
            _ => return path[..n].to_vec(),
        }
    }
    path
}

/// The cycles of every folder's sibling graph, each with the lines that make it.
fn cycles(uses: &[Use]) -> Vec<String> {
    // parent folder → (sibling → sibling → the uses behind that edge)
    let mut graphs: BTreeMap<ModPath, BTreeMap<String, BTreeMap<String, Vec<&Use>>>> =
        BTreeMap::new();
    for u in uses.iter().filter(|u| u.path[0] == "crate") {
        let common = u.from.iter().zip(&u.to).take_while(|(a, b)| a == b).count();
        if common == u.from.len() || common == u.to.len() {
            continue; // containment
        }
        graphs
            .entry(u.from[..common].to_vec())
            .or_default()
            .entry(u.from[common].clone())
            .or_default()
            .entry(u.to[common].clone())
            .or_default()
            .push(u);
    }
    let mut found = Vec::new();
    for (parent, graph) in &graphs {
        for component in strongly_connected(graph) {
            let place = |m: &String| {
                let mut p = parent.clone();
                p.push(m.clone());
                p.join("/")
            };
            let mut text = format!(
                "cycle {}:",
                component
                    .iter()
                    .map(place)
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            );
            for a in &component {
                for (b, lines) in &graph[a] {
                    if component.contains(b) {
                        let u = lines[0];
                        let _ = write!(
                            text,
                            "\n    {} -> {}: {}:{} uses {}",
                            place(a),
                            place(b),
                            u.file.display(),
                            u.line,
                            u.path.join("::")
                        );
                        if lines.len() > 1 {
                            let _ = write!(text, " (and {} more)", lines.len() - 1);
                        }
                    }
                }
            }
            found.push(text);
        }
    }
    found
}

/// The strongly connected components of more than one node (Tarjan's algorithm).
fn strongly_connected(graph: &BTreeMap<String, BTreeMap<String, Vec<&Use>>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeMap<String, Vec<&'g Use>>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        components: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, node: &'g str) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        s.on_stack.insert(node);
        if let Some(edges) = s.graph.get(node) {
            for next in edges.keys() {
                let next = next.as_str();
                if !s.index.contains_key(next) {
                    visit(s, next);
                    let low = s.low[node].min(s.low[next]);
                    s.low.insert(node, low);
                } else if s.on_stack.contains(next) {
                    let low = s.low[node].min(s.index[next]);
                    s.low.insert(node, low);
                }
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.components.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.components
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Semi,
    Comma,
    Star,
    Other(char),
}

/// The tokens of a Rust file with their line numbers: comments, strings and character
/// literals are dropped (a path inside them is not a use), lifetimes kept as `'`.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let count_lines =
            |from: usize, to: usize| chars[from..to].iter().filter(|&&c| c == '\n').count();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let (start, mut depth) = (i, 0);
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count_lines(start, i.min(chars.len()));
        } else if let Some(end) = raw_string_end(&chars, i) {
            line += count_lines(i, end);
            i = end;
        } else if c == '"' || (matches!(c, 'b' | 'c') && at(i + 1) == '"') {
            let start = i;
            i += if c == '"' { 1 } else { 2 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            line += count_lines(start, i.min(chars.len()));
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let q = if c == 'b' { i + 1 } else { i };
            if at(q + 1) == '\\' {
                // An escaped character literal: '\n', '\'', '\u{…}'.
                i = q + 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(q + 2) == '\'' {
                i = q + 3; // 'x'
            } else if c == 'b' {
                out.push((Token::Ident("b".into()), line));
                i += 1;
            } else {
                out.push((Token::Other('\''), line)); // a lifetime
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word == "r" && at(i) == '#' && (at(i + 1).is_alphabetic() || at(i + 1) == '_') {
                continue; // a raw identifier: the name follows
            }
            out.push((Token::Ident(word), line));
        } else {
            let token = match c {
                ':' if at(i + 1) == ':' => {
                    i += 1;
                    Token::PathSep
                }
                '{' => Token::Open,
                '}' => Token::Close,
                ';' => Token::Semi,
                ',' => Token::Comma,
                '*' => Token::Star,
                other => Token::Other(other),
            };
            out.push((token, line));
            i += 1;
        }
    }
    out
}

/// Where a raw string starting at `i` (`r"…"`, `r#"…"#`, `br#"…"#` …) ends, if one does.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if matches!(chars.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    j += hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(chars.len())
}

/// A path found in a file, resolved to the crate root (`crate::…`) or naming `slint`.
#[derive(Debug, Clone)]
struct Found {
    path: ModPath,
    line: usize,
    /// For `pub use`: the re-exported name's own path (`crate::ews::EwsClient`).
    reexport: Option<ModPath>,
}

/// The crate paths (and uses of Slint) of a file of module `module`.
fn paths_of(
    tokens: &[(Token, usize)],
    module: &ModPath,
    modules: &BTreeSet<ModPath>,
) -> Vec<Found> {
    let mut found = Vec::new();
    // Inline modules (`mod tests { … }`) open at a brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    let ident = |i: usize| match tokens.get(i) {
        Some((Token::Ident(word), _)) => Some(word.as_str()),
        _ => None,
    };
    while i < tokens.len() {
        let scope = || {
            let mut scope = module.clone();
            scope.extend(inline.iter().map(|(name, _)| name.clone()));
            scope
        };
        match &tokens[i].0 {
            Token::Open => depth += 1,
            Token::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some(name), Some((Token::Open, _))) = (ident(i + 1), tokens.get(i + 2)) {
                    inline.push((name.to_string(), depth + 1));
                }
            }
            Token::Ident(word)
                if word == "use" && !matches!(tokens.get(i + 1), Some((Token::Other('<'), _))) =>
            {
                let public = i > 0
                    && (ident(i - 1) == Some("pub")
                        || matches!(tokens.get(i - 1), Some((Token::Other(')'), _))));
                let line = tokens[i].1;
                let mut leaves = Vec::new();
                let end = use_tree(tokens, i + 1, Vec::new(), &mut leaves);
                for (path, name) in leaves {
                    if let Some(path) = resolve(&path, &scope(), modules, true) {
                        let reexport = (public && name != "*").then(|| {
                            let mut own = scope();
                            own.push(name);
                            own
                        });
                        found.push(Found {
                            path,
                            line,
                            reexport,
                        });
                    }
                }
                i = end;
                continue;
            }
            Token::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self" | "slint")
                    && tokens.get(i + 1).is_some_and(|(t, _)| *t == Token::PathSep)
                    && !(i > 0
                        && matches!(tokens[i - 1].0, Token::PathSep | Token::Other('$')))
                    && ident(i.wrapping_sub(1)) != Some("in") =>
            {
                let line = tokens[i].1;
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|(t, _)| *t == Token::PathSep) {
                    match ident(j + 1) {
                        Some(next) => path.push(next.to_string()),
                        None => break,
                    }
                    j += 2;
                }
                if let Some(path) = resolve(&path, &scope(), modules, false) {
                    found.push(Found {
                        path,
                        line,
                        reexport: None,
                    });
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Reads a use tree from `i` onwards into its leaves (full path, name it brings in);
/// where it ends.
fn use_tree(
    tokens: &[(Token, usize)],
    mut i: usize,
    mut prefix: ModPath,
    leaves: &mut Vec<(ModPath, String)>,
) -> usize {
    if tokens.get(i).is_some_and(|(t, _)| *t == Token::PathSep) {
        i += 1; // `use ::std::…`
    }
    loop {
        match tokens.get(i).map(|(t, _)| t) {
            Some(Token::Ident(word)) if word == "self" && !prefix.is_empty() => {
                let name = prefix.last().unwrap().clone();
                i += 1;
                let name = alias(tokens, &mut i).unwrap_or(name);
                leaves.push((prefix, name));
                return i;
            }
            Some(Token::Ident(word)) => {
                prefix.push(word.clone());
                i += 1;
                if tokens.get(i).is_some_and(|(t, _)| *t == Token::PathSep) {
                    i += 1;
                    continue;
                }
                let name = alias(tokens, &mut i).unwrap_or_else(|| word.clone());
                leaves.push((prefix, name));
                return i;
            }
            Some(Token::Star) => {
                leaves.push((prefix, "*".into()));
                return i + 1;
            }
            Some(Token::Open) => {
                i += 1;
                loop {
                    match tokens.get(i).map(|(t, _)| t) {
                        Some(Token::Close) => return i + 1,
                        Some(Token::Comma) => i += 1,
                        None => return i,
                        _ => i = use_tree(tokens, i, prefix.clone(), leaves),
                    }
                }
            }
            _ => return i,
        }
    }
}

/// `as name` after a use leaf.
fn alias(tokens: &[(Token, usize)], i: &mut usize) -> Option<String> {
    match (tokens.get(*i), tokens.get(*i + 1)) {
        (Some((Token::Ident(r#as), _)), Some((Token::Ident(name), _))) if r#as == "as" => {
            *i += 2;
            Some(name.clone())
        }
        _ => None,
    }
}

/// A path as written in module `scope`, from the crate root (`crate`, …); a `use` path
/// may also start with a sub-module's name. None for other crates' paths.
fn resolve(
    path: &[String],
    scope: &ModPath,
    modules: &BTreeSet<ModPath>,
    in_use: bool,
) -> Option<ModPath> {
    let mut at = scope.clone();
    let mut rest = path;
    match path.first()?.as_str() {
        "slint" => return Some(path.to_vec()),
        "crate" => {
            at.clear();
            rest = &path[1..];
        }
        "self" | "super" => {
            while let Some(step) = rest.first() {
                match step.as_str() {
                    "self" => {}
                    "super" => {
                        at.pop()?;
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        first if in_use => {
            let mut child = scope.clone();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
        }
        _ => return None,
    }
    let mut full = vec!["crate".to_string()];
    full.extend(at);
    full.extend(rest.iter().cloned());
    Some(full)
}

/// The checks above, on a made-up tree: they find what they must.
#[test]
fn the_scanner_finds_a_cycle_through_a_reexport_and_ignores_text() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n");
    write("a/mod.rs", "mod inner;\npub use inner::Thing;\n");
    write(
        "a/inner.rs",
        "//! crate::c::never in a comment\nuse crate::b::{self as bee, deep::{X, Y}};\n",
    );
    write("b/mod.rs", "pub mod deep;\n");
    write(
        "b/deep.rs",
        "const S: &str = \"crate::c::never\"; const R: &str = r#\"super::super::c\"#;\nfn f<'a>(c: char) -> bool { c == '\"' || crate::a::Thing::ok() }\n#[cfg(test)]\nmod tests { use super::*; fn g() { super::super::super::c::h(); } }\n",
    );
    write("c.rs", "fn h() { slint::invoke(); }\n");
    let uses = scan(dir.path());
    let cycles = cycles(&uses);
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].starts_with("cycle a <-> b:"), "{}", cycles[0]);
    assert!(cycles[0].contains("a/inner.rs:2"), "{}", cycles[0]);
    // The re-export was followed to the module defining the item.
    let to_a = uses
        .iter()
        .find(|u| u.path.join("::") == "crate::a::Thing::ok")
        .unwrap();
    assert_eq!(to_a.to, ["a", "inner"]);
    // `super::super::super::c` from the inline test module of b/deep.rs is crate::c.
    assert!(
        uses.iter()
            .any(|u| u.from == ["b", "deep"] && u.to == ["c"])
    );
    // Nothing from the comment or the strings.
    assert!(!uses.iter().any(|u| u.path.contains(&"never".to_string())));
    assert!(
        uses.iter()
            .any(|u| u.from == ["c"] && u.path == ["slint", "invoke"])
    );
}
