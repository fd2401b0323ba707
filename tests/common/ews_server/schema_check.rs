//! Optional schema validation of request bodies with xmllint, against the EWS schema the
//! configured Exchange version serves, the check a real server does before anything else.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use tempfile::TempDir;

use super::config::ExchangeVersion;
use super::record::SchemaCheck;

pub struct SchemaValidator {
    folder: TempDir,
}

impl SchemaValidator {
    /// `None` when the schema folder or xmllint is missing: requests are then recorded as
    /// [`SchemaCheck::NotChecked`].
    pub fn new(schema_dir: &Path, version: ExchangeVersion) -> Option<Self> {
        let messages = if version == ExchangeVersion::Exchange2010Sp2 {
            schema_dir.join("exchange2010sp2/messages.xsd")
        } else {
            schema_dir.join("messages.xsd")
        };
        let envelope = schema_dir.join("soap-envelope.xsd");
        let xml = schema_dir.join("xml.xsd");
        if !(messages.is_file() && envelope.is_file() && xml.is_file()) {
            return None;
        }
        let xmllint_runs = Command::new("xmllint")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !xmllint_runs {
            return None;
        }
        let folder = tempfile::tempdir().ok()?;
        let wrapper = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="{}"/>
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="{}"/>
  <xs:import namespace="http://schemas.microsoft.com/exchange/services/2006/messages" schemaLocation="{}"/>
</xs:schema>
"#,
            xml.display(),
            envelope.display(),
            messages.display()
        );
        std::fs::write(folder.path().join("envelope.xsd"), wrapper).ok()?;
        Some(Self { folder })
    }

    /// Validates one body (blocking: call it off the async threads).
    pub fn check(&self, body: &[u8]) -> SchemaCheck {
        let child = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(self.folder.path().join("envelope.xsd"))
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            return SchemaCheck::NotChecked;
        };
        if let Some(mut stdin) = child.stdin.take()
            && stdin.write_all(body).is_err()
        {
            return SchemaCheck::Invalid("xmllint did not read the whole body".to_string());
        }
        match child.wait_with_output() {
            Ok(output) if output.status.success() => SchemaCheck::Valid,
            Ok(output) => {
                SchemaCheck::Invalid(String::from_utf8_lossy(&output.stderr).trim().to_string())
            }
            Err(_) => SchemaCheck::NotChecked,
        }
    }
}
