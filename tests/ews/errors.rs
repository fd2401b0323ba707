//! Error mapping: every listed EWS code, as a SOAP fault and as a response message,
//! becomes its typed error, with explanations and fixes worded for the admin.

use std::time::Duration;

use room_console::ews::{ErrorContext, EwsError, find_item};
use room_console::words::Explained;

fn fault(code: &str, localized_text: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:{code}</faultcode>
<faultstring xml:lang="fr-FR">{localized_text}</faultstring>
<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">{code}</e:ResponseCode>
<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">{localized_text}</e:Message></detail>
</s:Fault></s:Body></s:Envelope>"#
    )
    .into_bytes()
}

fn find_item_error(code: &str, localized_text: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:FindItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
<m:ResponseMessages><m:FindItemResponseMessage ResponseClass="Error">
<m:MessageText>{localized_text}</m:MessageText><m:ResponseCode>{code}</m:ResponseCode>
<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:FindItemResponseMessage></m:ResponseMessages>
</m:FindItemResponse></s:Body></s:Envelope>"#
    )
    .into_bytes()
}

fn listed() -> Vec<(&'static str, EwsError)> {
    vec![
        (
            "ErrorImpersonateUserDenied",
            EwsError::ImpersonateUserDenied,
        ),
        ("ErrorNonExistentMailbox", EwsError::NonExistentMailbox),
        ("ErrorAccessDenied", EwsError::AccessDenied),
        ("ErrorServerBusy", EwsError::ServerBusy { back_off: None }),
        ("ErrorTooManyObjectsOpened", EwsError::TooManyObjectsOpened),
        ("ErrorInvalidServerVersion", EwsError::InvalidServerVersion),
        (
            "ErrorSchemaValidation",
            EwsError::SchemaValidation {
                violation: None,
                line: None,
                position: None,
            },
        ),
        (
            "ErrorCalendarViewRangeTooBig",
            EwsError::CalendarViewRangeTooBig,
        ),
        ("ErrorItemNotFound", EwsError::ItemNotFound),
        ("ErrorInvalidSyncStateData", EwsError::InvalidSyncStateData),
    ]
}

fn context() -> ErrorContext {
    ErrorContext {
        service_account: "mailboxservice@contoso.com".into(),
        mailbox: "confrm2@contoso.com".into(),
        url: "https://mail.contoso.com/EWS/Exchange.asmx".into(),
    }
}

#[test]
fn each_listed_code_maps_to_its_variant_whatever_the_language() {
    for (code, expected) in listed() {
        let text = "Le texte localisé ne compte pas";
        assert_eq!(
            find_item::parse(&fault(code, text)),
            Err(expected.clone()),
            "{code}"
        );
        let answer = find_item_error(code, text);
        assert_eq!(find_item::parse(&answer), Err(expected.clone()), "{code}");
        assert_eq!(expected.code(), code);
    }
}

#[test]
fn other_codes_are_kept_by_code() {
    let error = find_item::parse(&fault("ErrorMailboxMoveInProgress", "Déplacement")).unwrap_err();
    assert_eq!(
        error,
        EwsError::Exchange {
            code: "ErrorMailboxMoveInProgress".into(),
            message: "Déplacement".into()
        }
    );
    assert!(error.is_retryable());
    let explanation = error.explanation(&context());
    assert!(
        explanation.contains("ErrorMailboxMoveInProgress"),
        "{explanation}"
    );
}

#[test]
fn impersonation_denied_names_both_accounts_and_the_grant() {
    let ctx = context();
    let error = EwsError::ImpersonateUserDenied;
    assert!(
        error
            .explanation(&ctx)
            .starts_with("mailboxservice@contoso.com may not impersonate confrm2@contoso.com")
    );
    let fix = error.fix(&ctx).unwrap();
    assert!(fix.contains(
        "New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role ApplicationImpersonation -User mailboxservice@contoso.com"
    ), "{fix}");
    assert!(fix.contains("-CustomRecipientWriteScope"));
    assert!(!error.is_retryable());
}

#[test]
fn sign_in_failure_lists_the_causes_and_the_password_fix() {
    let ctx = context();
    let error = EwsError::Unauthorized {
        offered: vec!["NTLM".into(), "Negotiate".into()],
    };
    let explanation = error.explanation(&ctx);
    for cause in [
        "wrong password",
        "expired password",
        "locked account",
        "sign-in method",
    ] {
        assert!(explanation.contains(cause), "{explanation}");
    }
    assert!(explanation.contains("NTLM, Negotiate"));
    let fix = error.fix(&ctx).unwrap();
    assert!(
        fix.contains("Set-ADUser <account> -PasswordNeverExpires $true"),
        "{fix}"
    );
}

#[test]
fn throttling_carries_the_wait() {
    let busy = EwsError::ServerBusy {
        back_off: Some(Duration::from_millis(297_749)),
    };
    assert!(busy.is_retryable());
    assert_eq!(busy.retry_after(), Some(Duration::from_millis(297_749)));
    assert!(busy.explanation(&context()).contains("297 seconds"));
    let unavailable = EwsError::ServiceUnavailable {
        status: 503,
        retry_after: Some(Duration::from_secs(30)),
    };
    assert!(unavailable.is_retryable());
    assert_eq!(unavailable.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(EwsError::InvalidSyncStateData.retry_after(), None);
}

#[test]
fn every_variant_explains_itself() {
    let ctx = context();
    let mut all: Vec<EwsError> = listed().into_iter().map(|(_, e)| e).collect();
    all.extend([
        EwsError::Exchange {
            code: "ErrorInvalidExchangeImpersonationHeaderData".into(),
            message: String::new(),
        },
        EwsError::SoapFault {
            code: "soap:Client".into(),
            message: "x".into(),
        },
        EwsError::Unauthorized { offered: vec![] },
        EwsError::Forbidden,
        EwsError::ServiceUnavailable {
            status: 503,
            retry_after: None,
        },
        EwsError::Redirected {
            status: 302,
            location: Some("https://mail.contoso.com/owa/".into()),
        },
        EwsError::HttpStatus { status: 404 },
        EwsError::HtmlPage {
            status: 500,
            title: Some("IIS 10.0 Detailed Error".into()),
        },
        EwsError::EmptyBody { status: 200 },
        EwsError::TruncatedBody,
        EwsError::ResponseTooLarge { limit: 32 << 20 },
        EwsError::MalformedXml { detail: "x".into() },
        EwsError::HostileXml { detail: "x".into() },
        EwsError::UnexpectedResponse { detail: "x".into() },
        EwsError::Tls {
            detail: "invalid peer certificate: UnknownIssuer".into(),
        },
        EwsError::Connect {
            detail: "connection refused".into(),
        },
        EwsError::Timeout,
        EwsError::Network { detail: "x".into() },
        EwsError::InsecureUrl {
            url: "http://mail.contoso.com/EWS/Exchange.asmx".into(),
        },
        EwsError::InvalidConfig { detail: "x".into() },
        EwsError::Ntlm { detail: "x".into() },
    ]);
    for error in all {
        let explanation = error.explanation(&ctx);
        assert!(
            explanation.len() > 20 && explanation.ends_with('.'),
            "{error:?}: {explanation}"
        );
        if let Some(fix) = error.fix(&ctx) {
            assert!(fix.ends_with('.') || fix.ends_with(')'), "{error:?}: {fix}");
        }
        assert!(!error.code().is_empty());
    }
    assert!(
        EwsError::Tls {
            detail: String::new()
        }
        .fix(&ctx)
        .unwrap()
        .contains("TrustedCaFile")
    );
}
