//! Reads a provisioning file's element tree against the table in `schema.rs`: finds each
//! setting's element, refuses unknown, repeated or misplaced elements, and applies the
//! values to a draft, naming the element and line of the first bad one.
//!
//! Unknown elements are errors rather than warnings: a misspelt `<Pasword>` ignored in
//! silence would leave a console that cannot sign in and an admin who cannot see why.

use std::collections::HashMap;

use super::error::FileProblem;
use super::field::{Draft, Field};
use super::schema::{self, ROOT};
use super::xml::Element;

/// How much of a refused value an error message repeats.
const MAX_ECHOED_CHARS: usize = 80;

/// The settings a file gives, in file order, with their lines.
pub(super) struct Reading {
    assignments: Vec<Assignment>,
}

struct Assignment {
    field: &'static Field,
    /// `None` for an empty element.
    value: Option<String>,
    line: usize,
}

impl Reading {
    /// Finds every setting in the tree rooted at `root`.
    pub(super) fn of(root: &Element) -> Result<Reading, FileProblem> {
        if root.name != ROOT {
            return Err(FileProblem {
                line: Some(root.line),
                element: Some(root.name.clone()),
                message: format!(
                    "is not a room-console provisioning file: its top element is <{}>, expected <{ROOT}>",
                    root.name
                ),
            });
        }
        let mut reading = Reading {
            assignments: Vec::new(),
        };
        reading.walk(root, "", &mut HashMap::new())?;
        Ok(reading)
    }

    /// The line of the given setting's element, when the file has it.
    pub(super) fn line_of(&self, path: &str) -> Option<usize> {
        self.assignments
            .iter()
            .find(|a| a.field.path == path)
            .map(|a| a.line)
    }

    /// Applies every setting to `draft`, in file order; stops at the first bad value.
    pub(super) fn apply_to(&self, draft: &mut Draft) -> Result<(), FileProblem> {
        for assignment in &self.assignments {
            let field = assignment.field;
            (field.set)(draft, assignment.value.as_deref()).map_err(|problem| {
                let echo = match &assignment.value {
                    Some(value) if !field.is_secret() => format!(", not \"{}\"", shortened(value)),
                    _ => String::new(),
                };
                FileProblem {
                    line: Some(assignment.line),
                    element: Some(full_path(field.path)),
                    message: format!("{} {problem}{echo}", label(field.path)),
                }
            })?;
        }
        Ok(())
    }

    fn walk(
        &mut self,
        element: &Element,
        path: &str,
        seen: &mut HashMap<String, usize>,
    ) -> Result<(), FileProblem> {
        for child in &element.children {
            let child_path = if path.is_empty() {
                child.name.clone()
            } else {
                format!("{path}/{}", child.name)
            };
            let problem = |message: String| FileProblem {
                line: Some(child.line),
                element: Some(full_path(&child_path)),
                message,
            };
            if let Some(first_line) = seen.insert(child_path.clone(), child.line) {
                return Err(problem(format!(
                    "<{}> appears twice (also on line {first_line}); keep one",
                    child.name
                )));
            }
            if let Some(field) = schema::fields().find(|f| f.path == child_path) {
                if let Some(inner) = child.children.first() {
                    return Err(problem(format!(
                        "{} holds a value, not elements such as <{}>",
                        label(field.path),
                        inner.name
                    )));
                }
                self.assignments.push(Assignment {
                    field,
                    value: value_of(field, &child.text),
                    line: child.line,
                });
            } else if is_section(&child_path) {
                if !child.text.trim().is_empty() {
                    return Err(problem(format!(
                        "<{}> holds elements, not text",
                        child.name
                    )));
                }
                self.walk(child, &child_path, seen)?;
            } else {
                return Err(problem(unknown_element_message(&child.name, path)));
            }
        }
        Ok(())
    }
}

/// The element's value: `None` when empty or blank. Secrets are taken exactly as
/// written (a password may start or end with a space); other values are trimmed.
fn value_of(field: &Field, text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if field.is_secret() {
        Some(text.to_owned())
    } else {
        Some(trimmed.to_owned())
    }
}

fn is_section(path: &str) -> bool {
    let prefix = format!("{path}/");
    schema::fields().any(|f| f.path.starts_with(&prefix))
}

fn unknown_element_message(name: &str, parent_path: &str) -> String {
    let prefix = if parent_path.is_empty() {
        String::new()
    } else {
        format!("{parent_path}/")
    };
    let mut known: Vec<&str> = Vec::new();
    for field in schema::fields() {
        if let Some(rest) = field.path.strip_prefix(&prefix) {
            let next = rest.split('/').next().unwrap_or(rest);
            if !known.contains(&next) {
                known.push(next);
            }
        }
    }
    let parent = parent_path
        .rsplit('/')
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or(ROOT);
    let known: Vec<String> = known.iter().map(|k| format!("<{k}>")).collect();
    format!(
        "unknown element <{name}> in <{parent}>; check the spelling (known here: {})",
        known.join(", ")
    )
}

/// How an element is named in messages: `<SyncIntervalSeconds>`, or with its parent
/// (`<ServiceAccount><Password>`) when the name alone is ambiguous.
pub(super) fn label(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let leaf = parts.next().unwrap_or(path);
    let same_leaf = schema::fields()
        .filter(|f| f.path.rsplit('/').next() == Some(leaf))
        .count();
    match parts.next() {
        Some(parent) if same_leaf > 1 => format!("<{parent}><{leaf}>"),
        _ => format!("<{leaf}>"),
    }
}

fn full_path(path: &str) -> String {
    format!("{ROOT}/{path}")
}

fn shortened(value: &str) -> String {
    if value.chars().count() <= MAX_ECHOED_CHARS {
        value.to_owned()
    } else {
        let start: String = value.chars().take(MAX_ECHOED_CHARS).collect();
        format!("{start}…")
    }
}
