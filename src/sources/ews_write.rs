//! The room's calendar over EWS, written: Book now as CreateItem acting as the room with
//! a clash check of the calendar view just before and just after (an own booking that
//! clashes is undone), Extend / End now as UpdateItem of End with the ChangeKey last
//! read, and release as DeclineItem of the occurrence (DeleteItem for the console's own
//! bookings).

use chrono::{DateTime, Utc};

use super::{EwsSource, WAITS_PER_REQUEST, short_wait};
use crate::booking::{BookingRequest, CalendarWriter, WriteError};
use crate::calendar::Meeting;
use crate::ews::create_item::NewBooking;
use crate::ews::find_item::ViewShape;
use crate::ews::item::{CalendarItem, LegacyFreeBusy};
use crate::ews::{EwsError, ItemId};
use crate::sources::checked_booking::{CheckedCalendar, Listed, View, book_checked};
use crate::sync::source::{FailureKind, SourceError};
use crate::words::{Phrase, Wording};

/// At most this many items in the few minutes a booking covers.
const VIEW_MAX: u32 = 100;

/// Whether a listed item holds the room during [start, end).
fn holds_room(item: &CalendarItem<'_>, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let (Some(item_start), Some(item_end)) = (item.start, item.end) else {
        return false;
    };
    let busy = match item.free_busy {
        Some(LegacyFreeBusy::Free | LegacyFreeBusy::WorkingElsewhere) => false,
        Some(LegacyFreeBusy::Tentative | LegacyFreeBusy::NoData) | None => !item.is_all_day,
        Some(LegacyFreeBusy::Busy | LegacyFreeBusy::OutOfOffice) => true,
    };
    busy && !item.is_cancelled && item_start < end && item_end > start
}

impl EwsSource {
    fn write_error(&self, err: &EwsError) -> WriteError {
        match err {
            EwsError::Exchange { code, .. }
                if code == "ErrorIrresolvableConflict" || code == "ErrorStaleObject" =>
            {
                WriteError::Changed
            }
            EwsError::AccessDenied => {
                let context = self.context.lock().unwrap_or_else(|e| e.into_inner());
                let (account, room) = (&context.service_account, &context.mailbox);
                WriteError::Failed(
                    SourceError::new(
                        FailureKind::PermissionDenied,
                        Wording::phrase(Phrase::EwsWriteDenied, [account, room]),
                    )
                    .with_fix(Wording::phrase(
                        Phrase::EwsWriteFix,
                        [
                            account.clone(),
                            format!(
                                "Add-MailboxFolderPermission -Identity {room}:\\Calendar \
                                 -User {account} -AccessRights Editor"
                            ),
                        ],
                    )),
                )
            }
            other => WriteError::Failed(self.error(other)),
        }
    }
}

impl CheckedCalendar for EwsSource {
    type Id = ItemId<'static>;
    type UndoError = EwsError;

    async fn view(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> View<Self::Id> {
        let mailbox = self.mailbox.as_str();
        let view = call!(self, |c| c.find_view(
            ViewShape::Marked,
            mailbox,
            start,
            end,
            VIEW_MAX
        ))
        .map_err(|e| self.write_error(&e))?;
        let listed = view.value.get().items.iter().map(|item| {
            let id = item.id.clone().into_owned();
            let holds = holds_room(item, start, end);
            Listed::new(id, item.console_booking_id.as_deref(), item.start, holds)
        });
        Ok(listed.collect())
    }

    async fn create(&self, request: &BookingRequest) -> Result<Self::Id, WriteError> {
        let booking = NewBooking {
            subject: &request.subject,
            body: &request.note,
            start: request.slot.start,
            end: request.slot.end,
            booking_id: &request.booking_id,
        };
        let mailbox = self.mailbox.as_str();
        call!(self, |c| c.create_booking(mailbox, &booking)).map_err(|e| self.write_error(&e))
    }

    async fn undo(&self, id: &Self::Id) -> Result<(), EwsError> {
        call!(self, |c| c.delete(id))
    }
}

impl CalendarWriter for EwsSource {
    async fn book(&self, request: &BookingRequest) -> Result<(), WriteError> {
        book_checked(self, request).await
    }

    async fn set_end(&self, meeting: &Meeting, end: DateTime<Utc>) -> Result<(), WriteError> {
        let id = ItemId::new(meeting.id.as_str(), meeting.change_key.clone());
        call!(self, |c| c.update_end(&id, end))
            .map(|_| ())
            .map_err(|e| self.write_error(&e))
    }

    async fn release(&self, meeting: &Meeting, note: &str) -> Result<(), WriteError> {
        let id = ItemId::new(meeting.id.as_str(), meeting.change_key.clone());
        let result = if meeting.booked_here {
            call!(self, |c| c.delete(&id))
        } else {
            call!(self, |c| c.decline(&id, note))
        };
        result.map_err(|e| self.write_error(&e))
    }
}
