//! Schema versions: the one a request asks for (`t:RequestServerVersion`) and the one a
//! response reports (`ServerVersionInfo`).

use std::fmt;

use super::xml::{Read, Tag, XmlReader};

/// The EWS schema version a request is written for. Exchange refuses a version newer than
/// it knows with ErrorInvalidServerVersion; the caller then steps down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum RequestVersion {
    Exchange2007Sp1,
    Exchange2010,
    Exchange2010Sp2,
    /// Exchange 2013, 2016, 2019 and Exchange Online.
    #[default]
    Exchange2013,
}

impl RequestVersion {
    /// Every version, newest first: the order to step down in.
    pub const NEWEST_FIRST: [RequestVersion; 4] = [
        RequestVersion::Exchange2013,
        RequestVersion::Exchange2010Sp2,
        RequestVersion::Exchange2010,
        RequestVersion::Exchange2007Sp1,
    ];

    /// The value of the `Version` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestVersion::Exchange2007Sp1 => "Exchange2007_SP1",
            RequestVersion::Exchange2010 => "Exchange2010",
            RequestVersion::Exchange2010Sp2 => "Exchange2010_SP2",
            RequestVersion::Exchange2013 => "Exchange2013",
        }
    }

    /// Parses the `Version` attribute value.
    pub fn from_name(name: &str) -> Option<RequestVersion> {
        Self::NEWEST_FIRST.into_iter().find(|v| v.as_str() == name)
    }

    /// The next older version to try after ErrorInvalidServerVersion; None at the oldest.
    pub(crate) fn step_down(self) -> Option<RequestVersion> {
        let position = Self::NEWEST_FIRST.iter().position(|v| *v == self)?;
        Self::NEWEST_FIRST.get(position + 1).copied()
    }

    /// Whether `calendar:JoinOnlineMeetingUrl` and `calendar:StartTimeZoneId` exist.
    pub(crate) fn has_online_meeting_fields(self) -> bool {
        self >= RequestVersion::Exchange2013
    }

    /// Whether `calendar:StartTimeZone` exists (Exchange 2010 on); 2007 has `calendar:TimeZone`.
    pub(crate) fn has_start_time_zone(self) -> bool {
        self >= RequestVersion::Exchange2010
    }
}

impl fmt::Display for RequestVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the server says it is, from the `ServerVersionInfo` SOAP header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerVersionInfo {
    pub major_version: Option<u32>,
    pub minor_version: Option<u32>,
    pub major_build_number: Option<u32>,
    pub minor_build_number: Option<u32>,
    /// The schema name, e.g. `Exchange2010_SP2` or `V2017_07_11`.
    pub version: Option<String>,
}

impl ServerVersionInfo {
    /// Reads the header element. EWS puts the numbers in attributes; SOAP Autodiscover in
    /// child elements. Both are accepted, attributes first.
    pub fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<ServerVersionInfo> {
        const FIELDS: [&str; 5] = [
            "MajorVersion",
            "MinorVersion",
            "MajorBuildNumber",
            "MinorBuildNumber",
            "Version",
        ];
        let mut values: [Option<String>; 5] =
            FIELDS.map(|name| tag.attr(name).map(|v| v.into_owned()));
        while let Some(child) = reader.next_child(tag)? {
            match FIELDS.iter().position(|name| *name == child.name()) {
                Some(i) if values[i].is_none() => values[i] = reader.trimmed_string(&child)?,
                _ => reader.skip(&child)?,
            }
        }
        let [major, minor, major_build, minor_build, version] = values;
        let number = |v: Option<String>| v.and_then(|v| v.trim().parse().ok());
        Ok(ServerVersionInfo {
            major_version: number(major),
            minor_version: number(minor),
            major_build_number: number(major_build),
            minor_build_number: number(minor_build),
            version: version.filter(|v| !v.is_empty()),
        })
    }

    /// The build as Exchange prints it, e.g. `15.0.847.31`.
    pub fn build(&self) -> Option<String> {
        Some(format!(
            "{}.{}.{}.{}",
            self.major_version?,
            self.minor_version?,
            self.major_build_number?,
            self.minor_build_number?
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_down_newest_to_oldest() {
        let mut v = RequestVersion::default();
        let mut seen = vec![v];
        while let Some(next) = v.step_down() {
            seen.push(next);
            v = next;
        }
        assert_eq!(seen, RequestVersion::NEWEST_FIRST);
        assert!(RequestVersion::Exchange2013.has_online_meeting_fields());
        assert!(!RequestVersion::Exchange2010Sp2.has_online_meeting_fields());
        assert!(!RequestVersion::Exchange2007Sp1.has_start_time_zone());
        assert_eq!(
            RequestVersion::from_name("Exchange2010_SP2"),
            Some(RequestVersion::Exchange2010Sp2)
        );
    }
}
