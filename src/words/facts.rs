//! The labels of the status facts an admin reads (`room-console status`, the admin
//! screen, the fleet's health report), each once, in English: the command line prints
//! [`Fact::label`]; the admin screen words the same labels in its language through
//! `ui/admin/fact_labels.slint`, which is generated from this table (`fact_labels_file`)
//! and kept equal to it by a test. Its `@tr` strings are the msgids of `translations/`.

word_table! {
    /// A line of the status report, by what it is about (never by its English).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Fact;
    /// The label `status` prints.
    fn label;
    Software => "Software",
    DataDirectory => "Data directory",
    HostName => "Host name",
    Network => "Network",
    Fleet => "Fleet",
    Slots => "Slots",
    // The screen's label for the slots (the command line says "Slots").
    InstalledSoftware => "Installed software",
    SoftwareUpdate => "Software update",
    Configured => "Configured",
    Room => "Room",
    CalendarSource => "Calendar source",
    EwsUrl => "EWS URL",
    Account => "Account",
    Server => "Server",
    Sync => "Sync",
    LastGoodSync => "Last good sync",
    MeetingsCached => "Meetings cached",
    ContentInputs => "Content inputs",
    Push => "Push",
    // The screen's one line when the status cannot be read at all.
    StatusUnreadable => "Status",
}

impl Fact {
    /// The name of its `FactLabel` variant in Slint: its own name in kebab-case.
    #[cfg(test)]
    fn slint_name(self) -> String {
        kebab(&format!("{self:?}"))
    }
}

/// `CamelCase` as `kebab-case`.
#[cfg(test)]
fn kebab(name: &str) -> String {
    let mut kebab = String::new();
    for (i, c) in name.char_indices() {
        if c.is_ascii_uppercase() && i > 0 {
            kebab.push('-');
        }
        kebab.push(c.to_ascii_lowercase());
    }
    kebab
}

/// The Slint file the admin screen words the labels with: the `FactLabel` enum (each
/// fact, and `as-given` for a line whose label Rust gives as it is) and `FactLabels.text`.
#[cfg(test)]
fn fact_labels_file() -> String {
    let mut file = String::from(
        "// GENERATED from src/words/facts.rs by its test `fact_labels_file_is_current`:\n\
         // do not edit; change the table there and run that test with UPDATE_PHRASE_WORDS=1.\n\
         //\n\
         // The labels of the status facts in the screen's language.\n\
         \n\
         // The label of a fact of `room-console status` (`ui/admin/model.rs::fact_key`);\n\
         // `as-given` shows the label Rust gives as it is.\n\
         export enum FactLabel {\n    as-given,\n",
    );
    for fact in Fact::ALL {
        file.push_str(&format!("    {},\n", fact.slint_name()));
    }
    file.push_str(
        "}\n\nexport global FactLabels {\n\
         \x20   // The words of `key`; `label` for `as-given`.\n\
         \x20   public pure function text(key: FactLabel, label: string) -> string {\n\
         \x20       return ",
    );
    for fact in Fact::ALL {
        file.push_str(&format!(
            "key == FactLabel.{} ? @tr(\"{}\")\n            : ",
            fact.slint_name(),
            super::generated::slint_string(fact.label())
        ));
    }
    file.push_str("label;\n    }\n}\n");
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_labels_file_is_current() {
        crate::words::generated::assert_file_is_current(
            "ui/admin/fact_labels.slint",
            &fact_labels_file(),
            "add the new labels to the translations",
        );
    }

    #[test]
    fn slint_names_are_kebab_case() {
        assert_eq!(Fact::EwsUrl.slint_name(), "ews-url");
        assert_eq!(Fact::LastGoodSync.slint_name(), "last-good-sync");
        assert_eq!(Fact::Software.label(), "Software");
    }
}
