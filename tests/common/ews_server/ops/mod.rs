//! The EWS operations the server answers, and what they share: who the request runs as,
//! which calendar a folder id opens, and the error codes Exchange uses for both.

pub mod autodiscover;
pub mod create_item;
pub mod delete_item;
pub mod find_item;
pub mod get_item;
pub mod shape;
pub mod subscriptions;
pub mod sync_folder_items;
pub mod update_item;

use crate::common::ews_server::config::{Account, ExchangeVersion};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::state::ServerState;

use shape::SubjectText;

/// Who a request runs as.
pub struct OpContext<'a> {
    pub version: ExchangeVersion,
    pub account: &'a Account,
    /// The mailbox named by ExchangeImpersonation (already checked), by number.
    pub impersonating: Option<usize>,
    pub subject_text: SubjectText,
}

/// A response-message level error: `(ResponseCode, MessageText)`.
pub type MessageError = (&'static str, &'static str);

pub const ACCESS_DENIED: MessageError = (
    "ErrorAccessDenied",
    "Access is denied. Check credentials and try again.",
);
pub const NON_EXISTENT_MAILBOX: MessageError = (
    "ErrorNonExistentMailbox",
    "The SMTP address has no mailbox associated with it.",
);
const FOLDER_NOT_FOUND: MessageError = (
    "ErrorFolderNotFound",
    "The specified folder could not be found in the store.",
);
const MISSING_EMAIL_ADDRESS: MessageError = (
    "ErrorMissingEmailAddress",
    "When making a request as an account that does not have a mailbox, you must specify the mailbox primary SMTP address for any distinguished folders.",
);

/// What an operation answers: the inside of `m:ResponseMessages`, or a whole SOAP fault.
pub enum OpAnswer {
    Messages(String),
    Fault(String),
}

impl OpContext<'_> {
    /// Whether this request may read mailbox `number`.
    pub fn may_open(&self, state: &ServerState, number: usize) -> bool {
        match self.impersonating {
            Some(impersonated) => impersonated == number,
            None => state
                .mailboxes
                .get(number)
                .is_some_and(|mailbox| self.account.may_open_directly(&mailbox.smtp)),
        }
    }

    /// Whether this request may change mailbox `number` (impersonation acts as the
    /// mailbox; a Reviewer delegate only reads).
    pub fn may_write(&self, state: &ServerState, number: usize) -> bool {
        match self.impersonating {
            Some(impersonated) => impersonated == number,
            None => state
                .mailboxes
                .get(number)
                .is_some_and(|mailbox| self.account.may_write_directly(&mailbox.smtp)),
        }
    }

    /// The calendar a `ParentFolderIds` / `SyncFolderId` element opens, by mailbox number.
    pub fn calendar_folder(
        &self,
        state: &ServerState,
        folder_ids: Option<&Element>,
    ) -> Result<usize, MessageError> {
        let folder = folder_ids
            .and_then(|ids| ids.children.first())
            .ok_or(FOLDER_NOT_FOUND)?;
        if folder.name != "DistinguishedFolderId" || folder.attribute("Id") != Some("calendar") {
            return Err(FOLDER_NOT_FOUND);
        }
        let named = folder
            .path(&["Mailbox", "EmailAddress"])
            .map(|address| address.trimmed_text().to_string());
        let number = match (named, self.impersonating) {
            (Some(smtp), _) => state.mailbox_number(&smtp).ok_or(NON_EXISTENT_MAILBOX)?,
            (None, Some(impersonated)) => impersonated,
            (None, None) => {
                let own = self
                    .account
                    .own_mailbox
                    .as_deref()
                    .ok_or(MISSING_EMAIL_ADDRESS)?;
                state.mailbox_number(own).ok_or(NON_EXISTENT_MAILBOX)?
            }
        };
        if self.may_open(state, number) {
            Ok(number)
        } else {
            Err(ACCESS_DENIED)
        }
    }
}
