//! What a wizard field's check expected (`settings::validate::Expected`, which the
//! provisioning file says in English) as the `FieldExpected` the screen words in its
//! language, with the values its sentence mentions.

use crate::settings::LANGUAGES;
use crate::settings::validate::Expected;
use crate::ui::FieldExpected;

/// `expected` as the screen words it, and the values its sentence mentions (at most two).
pub(super) fn expected_for_screen(expected: &Expected) -> (FieldExpected, Vec<String>) {
    match expected {
        Expected::SingleLine => (FieldExpected::SingleLine, vec![]),
        Expected::AtMostChars(n) => (FieldExpected::AtMostChars, vec![n.to_string()]),
        Expected::EmailAddress => (FieldExpected::EmailAddress, vec![]),
        Expected::AccountName => (FieldExpected::AccountName, vec![]),
        Expected::HttpsUrl => (FieldExpected::HttpsUrl, vec![]),
        Expected::HttpsNotHttp(url) => (FieldExpected::HttpsNotHttp, vec![url.clone()]),
        Expected::TimeZone => (FieldExpected::TimeZone, vec![]),
        Expected::AdminPin => (FieldExpected::AdminPin, vec![]),
        Expected::Language => (FieldExpected::Language, vec![LANGUAGES.join(", ")]),
        Expected::SecondsBetween(min, max) => (
            FieldExpected::SecondsBetween,
            vec![min.to_string(), max.to_string()],
        ),
        Expected::TimeOfDay => (FieldExpected::TimeOfDay, vec![]),
        Expected::Boolean => (FieldExpected::Boolean, vec![]),
        Expected::AbsolutePath => (FieldExpected::AbsolutePath, vec![]),
        Expected::HostNames => (FieldExpected::HostNames, vec![]),
        Expected::ContentInput => (FieldExpected::ContentInput, vec![]),
        Expected::TenantId => (FieldExpected::TenantId, vec![]),
        Expected::ClientId => (FieldExpected::ClientId, vec![]),
        Expected::UnreadableFile(why) => (FieldExpected::UnreadableFile, vec![why.clone()]),
        Expected::PemCertificate => (FieldExpected::PemCertificate, vec![]),
        Expected::GraphScope => (FieldExpected::GraphScope, vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_values_a_sentence_mentions_go_with_it() {
        assert_eq!(
            expected_for_screen(&Expected::SecondsBetween(5, 60)),
            (FieldExpected::SecondsBetween, vec!["5".into(), "60".into()])
        );
        assert_eq!(
            expected_for_screen(&Expected::HttpsNotHttp("https://mail.contoso.com".into())),
            (
                FieldExpected::HttpsNotHttp,
                vec!["https://mail.contoso.com".into()]
            )
        );
        assert_eq!(
            expected_for_screen(&Expected::AdminPin),
            (FieldExpected::AdminPin, vec![])
        );
    }
}
