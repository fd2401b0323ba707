//! What the server remembers of every request it answered, so tests can assert on the
//! client's behaviour: which operation, which headers, how big the answer was.

/// The outcome of validating a request body against the EWS schema with xmllint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaCheck {
    /// Validation was not asked for, the schema folder or xmllint is missing, or the
    /// request was not an EWS SOAP request.
    NotChecked,
    Valid,
    /// xmllint's complaint.
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Which TCP connection carried it (NTLM is authenticated per connection).
    pub connection: u64,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The local name of the first element of the SOAP Body (`FindItem`, `GetItem`,
    /// `SyncFolderItems`, `GetUserSettingsRequestMessage`), empty when there is none.
    pub operation: String,
    /// The scheme of the Authorization header (`Basic`, `NTLM`, `Negotiate`), if any.
    pub auth_scheme: Option<String>,
    /// The account the request ran as, once authenticated.
    pub account: Option<String>,
    /// The mailbox named by the ExchangeImpersonation header, if any.
    pub impersonated: Option<String>,
    /// The X-AnchorMailbox header, if any.
    pub anchor_mailbox: Option<String>,
    /// Set when a request impersonating a mailbox has no X-AnchorMailbox naming it, which
    /// Exchange 2013+ needs to route impersonated requests efficiently.
    pub anchor_mailbox_warning: bool,
    pub body: Vec<u8>,
    pub status: u16,
    /// Bytes of the response body sent.
    pub response_bytes: usize,
    pub schema: SchemaCheck,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        super::http_wire::header_in(&self.headers, name)
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
