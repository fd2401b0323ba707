//! Writes SOAP responses in the exact shapes Exchange sends: the ServerVersionInfo
//! header, `m:…Response/m:ResponseMessages`, error messages with MessageText /
//! ResponseCode / DescriptiveLinkKey, and HTTP 500 SOAP faults without a header.

use quick_xml::escape::escape;

use crate::common::ews_server::config::ExchangeVersion;

pub const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const TYPES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
pub const MESSAGES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
pub const ERRORS_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/errors";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// Escapes text for element content or an attribute value.
pub fn text(value: &str) -> String {
    escape(value).into_owned()
}

/// `<h:ServerVersionInfo …/>` as Exchange 2010 SP2 and later write it.
pub fn server_version_info(version: ExchangeVersion) -> String {
    let (major, minor, major_build, minor_build) = version.build();
    format!(
        r#"<h:ServerVersionInfo MajorVersion="{major}" MinorVersion="{minor}" MajorBuildNumber="{major_build}" MinorBuildNumber="{minor_build}" Version="{}" xmlns:h="{TYPES_NS}" xmlns="{TYPES_NS}" xmlns:xsd="{XSD_NS}" xmlns:xsi="{XSI_NS}"/>"#,
        version.schema_name()
    )
}

/// A whole response envelope around `{operation}Response` holding `messages`.
pub fn response_envelope(version: ExchangeVersion, operation: &str, messages: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP_NS}"><s:Header>{}</s:Header><s:Body xmlns:xsi="{XSI_NS}" xmlns:xsd="{XSD_NS}"><m:{operation}Response xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}"><m:ResponseMessages>{messages}</m:ResponseMessages></m:{operation}Response></s:Body></s:Envelope>"#,
        server_version_info(version)
    )
}

/// A successful `{operation}ResponseMessage` with `content` after the ResponseCode.
pub fn success_message(operation: &str, content: &str) -> String {
    format!(
        r#"<m:{operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>{content}</m:{operation}ResponseMessage>"#
    )
}

/// An error `{operation}ResponseMessage`; `trailer` holds what the operation adds after
/// DescriptiveLinkKey (`<m:Items/>` for GetItem, SyncState for SyncFolderItems…).
pub fn error_message(operation: &str, code: &str, message: &str, trailer: &str) -> String {
    format!(
        r#"<m:{operation}ResponseMessage ResponseClass="Error"><m:MessageText>{}</m:MessageText><m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>{trailer}</m:{operation}ResponseMessage>"#,
        text(message)
    )
}

/// A SOAP fault body (sent with HTTP 500): faultcode in the types namespace, a localized
/// faultstring, and detail with e:ResponseCode, e:Message and optional t:MessageXml values.
pub fn soap_fault(code: &str, message: &str, message_xml: &[(&str, String)]) -> String {
    let values: String = message_xml
        .iter()
        .map(|(name, value)| format!(r#"<t:Value Name="{name}">{}</t:Value>"#, text(value)))
        .collect();
    let message_xml = if values.is_empty() {
        String::new()
    } else {
        format!(r#"<t:MessageXml xmlns:t="{TYPES_NS}">{values}</t:MessageXml>"#)
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault><faultcode xmlns:a="{TYPES_NS}">a:{code}</faultcode><faultstring xml:lang="en-US">{message}</faultstring><detail><e:ResponseCode xmlns:e="{ERRORS_NS}">{code}</e:ResponseCode><e:Message xmlns:e="{ERRORS_NS}">{message}</e:Message>{message_xml}</detail></s:Fault></s:Body></s:Envelope>"#,
        message = text(message)
    )
}

/// A schema-validation fault with the line, position and violation xmllint-style.
pub fn schema_validation_fault(violation: &str) -> String {
    let message = format!("The request failed schema validation: {violation}");
    let values = [
        ("LineNumber", "1".to_string()),
        ("LinePosition", "1".to_string()),
        ("Violation", violation.to_string()),
    ];
    let details: String = values
        .iter()
        .map(|(name, value)| format!("<t:{name}>{}</t:{name}>", text(value)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault><faultcode xmlns:a="{TYPES_NS}">a:ErrorSchemaValidation</faultcode><faultstring xml:lang="en-US">{}</faultstring><detail><e:ResponseCode xmlns:e="{ERRORS_NS}">ErrorSchemaValidation</e:ResponseCode><e:Message xmlns:e="{ERRORS_NS}">The request failed schema validation.</e:Message><t:MessageXml xmlns:t="{TYPES_NS}">{details}</t:MessageXml></detail></s:Fault></s:Body></s:Envelope>"#,
        text(&message)
    )
}

/// `2024-05-01T09:00:00Z`, the form Exchange writes dateTimes in.
pub fn date_time(value: chrono::DateTime<chrono::Utc>) -> String {
    value.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
