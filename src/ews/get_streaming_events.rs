//! GetStreamingEvents: one long HTTP answer (up to `ConnectionTimeout` minutes, chunked)
//! made of whole SOAP envelopes one after another: notifications, keep-alives
//! (`ConnectionStatus` OK) and at the end `ConnectionStatus` Closed. [`EnvelopeSplitter`]
//! cuts the byte stream into those envelopes; [`parse`] reads one.

use super::envelope::{RequestHeader, element, ews_envelope, text_element};
use super::error::EwsError;
use super::notification::Notification;
use super::response::{Response, read_messages, single};
use super::xml::document_text;

/// The longest ConnectionTimeout Exchange accepts, in minutes.
pub(crate) const MAX_CONNECTION_TIMEOUT_MINUTES: u32 = 30;
/// An envelope larger than this without its end is refused (a notification is a few KB).
pub(crate) const MAX_ENVELOPE_BYTES: usize = 4 * 1024 * 1024;

/// The GetStreamingEvents request for `subscription_id`, open for `timeout_minutes`.
pub fn request(header: &RequestHeader, subscription_id: &str, timeout_minutes: u32) -> Vec<u8> {
    let timeout = timeout_minutes
        .clamp(1, MAX_CONNECTION_TIMEOUT_MINUTES)
        .to_string();
    ews_envelope(header, |w| {
        element(w, "m:GetStreamingEvents", |w| {
            element(w, "m:SubscriptionIds", |w| {
                text_element(w, "t:SubscriptionId", subscription_id)
            })?;
            text_element(w, "m:ConnectionTimeout", &timeout)
        })
    })
}

/// `ConnectionStatus`: OK is a keep-alive, Closed ends the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionStatus {
    Open,
    Closed,
}

/// One envelope of the stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StreamingEnvelope {
    pub notifications: Vec<Notification>,
    pub connection_status: Option<ConnectionStatus>,
}

impl StreamingEnvelope {
    /// Whether any notification says something changed.
    pub fn has_changes(&self) -> bool {
        self.notifications.iter().any(Notification::has_changes)
    }
}

/// Reads one envelope of the stream. A lost subscription (ErrorSubscriptionNotFound,
/// ErrorMissedNotificationEvents …) comes back as its error.
pub fn parse(envelope: &[u8]) -> Result<Response<StreamingEnvelope>, EwsError> {
    single(read_messages(
        &document_text(envelope),
        |reader, child, found: &mut StreamingEnvelope| {
            match child.name() {
                "Notifications" => {
                    while let Some(notification) = reader.next_child(child)? {
                        if notification.name() == "Notification" {
                            found
                                .notifications
                                .push(Notification::read(reader, &notification)?);
                        } else {
                            reader.skip(&notification)?;
                        }
                    }
                }
                "ConnectionStatus" => {
                    found.connection_status = match reader.trimmed_string(child)?.as_deref() {
                        Some("Closed") => Some(ConnectionStatus::Closed),
                        _ => Some(ConnectionStatus::Open),
                    };
                }
                _ => return Ok(false),
            }
            Ok(true)
        },
    )?)
}

/// Cuts a stream of bytes into whole SOAP envelopes: each ends with its `</…Envelope>`
/// tag (any prefix); what comes between envelopes (white space, XML declarations) goes
/// with the next one.
#[derive(Debug, Default)]
pub(crate) struct EnvelopeSplitter {
    buffer: Vec<u8>,
    /// Where the search for an end tag resumes.
    searched: usize,
}

impl EnvelopeSplitter {
    /// Adds bytes read from the stream.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole envelope, if one has arrived; an error when one grows past
    /// [`MAX_ENVELOPE_BYTES`] without its end.
    pub(crate) fn next_envelope(&mut self) -> Result<Option<Vec<u8>>, EwsError> {
        while let Some(offset) = memchr::memmem::find(&self.buffer[self.searched..], b"</") {
            let start = self.searched + offset;
            let Some(close) = memchr::memchr(b'>', &self.buffer[start..]) else {
                // The end tag is not all there yet: look again from its start.
                self.searched = start;
                return self.check_size();
            };
            let end = start + close + 1;
            let name = &self.buffer[start + 2..end - 1];
            let name = name.trim_ascii();
            let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
            if local == b"Envelope" {
                let envelope: Vec<u8> = self.buffer.drain(..end).collect();
                self.searched = 0;
                return Ok(Some(envelope));
            }
            self.searched = end;
        }
        self.searched = self.buffer.len().saturating_sub(1);
        self.check_size()
    }

    /// Whether bytes of an unfinished envelope are waiting (other than white space).
    pub(crate) fn has_partial(&self) -> bool {
        !self.buffer.iter().all(u8::is_ascii_whitespace)
    }

    fn check_size(&self) -> Result<Option<Vec<u8>>, EwsError> {
        if self.buffer.len() > MAX_ENVELOPE_BYTES {
            return Err(EwsError::ResponseTooLarge {
                limit: MAX_ENVELOPE_BYTES,
            });
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP_ALIVE: &str = r#"<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Header xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><ServerVersionInfo xmlns="http://schemas.microsoft.com/exchange/services/2006/types" MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11"/></soap11:Header><soap11:Body xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:ConnectionStatus>OK</m:ConnectionStatus></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></soap11:Body></Envelope>"#;

    fn notification(subject_id: &str) -> String {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Notifications><m:Notification><t:SubscriptionId>sub-1</t:SubscriptionId><t:ModifiedEvent><t:TimeStamp>2026-12-05T10:00:00Z</t:TimeStamp><t:ItemId Id="{subject_id}" ChangeKey="ck"/><t:ParentFolderId Id="cal" ChangeKey="f"/></t:ModifiedEvent></m:Notification></m:Notifications></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></s:Body></s:Envelope>"#
        )
    }

    #[test]
    fn a_stream_cut_anywhere_gives_back_its_envelopes() {
        let stream = format!("{KEEP_ALIVE}\r\n{}{KEEP_ALIVE}", notification("item-1"));
        for piece in [1, 7, 64, 1000, stream.len()] {
            let mut splitter = EnvelopeSplitter::default();
            let mut envelopes = Vec::new();
            for chunk in stream.as_bytes().chunks(piece) {
                splitter.push(chunk);
                while let Some(envelope) = splitter.next_envelope().unwrap() {
                    envelopes.push(parse(&envelope).unwrap().value);
                }
            }
            assert!(!splitter.has_partial(), "piece {piece}");
            assert_eq!(envelopes.len(), 3, "piece {piece}");
            assert_eq!(envelopes[0].connection_status, Some(ConnectionStatus::Open));
            assert!(!envelopes[0].has_changes());
            assert!(envelopes[1].has_changes());
            let event = &envelopes[1].notifications[0].events[0];
            assert_eq!(event.kind, "ModifiedEvent");
            assert_eq!(event.item_id.as_deref(), Some("item-1"));
        }
    }

    #[test]
    fn an_envelope_without_end_is_refused_once_too_large() {
        let mut splitter = EnvelopeSplitter::default();
        splitter.push(b"<Envelope><Body>");
        assert_eq!(splitter.next_envelope().unwrap(), None);
        splitter.push(&vec![b'a'; MAX_ENVELOPE_BYTES]);
        assert!(matches!(
            splitter.next_envelope(),
            Err(EwsError::ResponseTooLarge { .. })
        ));
    }

    #[test]
    fn a_lost_subscription_is_its_error() {
        let answer = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="Error"><m:MessageText>The specified subscription was not found.</m:MessageText><m:ResponseCode>ErrorSubscriptionNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:ErrorSubscriptionIds><m:SubscriptionId>sub-1</m:SubscriptionId></m:ErrorSubscriptionIds></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></s:Body></s:Envelope>"#;
        let error = parse(answer.as_bytes()).unwrap_err();
        assert_eq!(
            crate::ews::notification::SubscriptionLost::of(&error),
            Some(crate::ews::notification::SubscriptionLost::NotFound)
        );
    }
}
