//! The room acts over EWS, end to end through the binary against the in-repo EWS server:
//! what only EWS shows of the scenarios in `on_either_server.rs` (the FindItem checks
//! around CreateItem, no invitations sent, the ChangeKey an UpdateItem carries, the
//! Exchange permission to grant); the scenarios themselves run for EWS there too.

use crate::common::booking_rig::*;
use crate::on_either_server;

#[tokio::test(flavor = "multi_thread")]
async fn book_now_creates_a_marked_booking_as_the_room_and_the_agenda_shows_it() {
    let (room, _) = on_either_server::book_now_creates_a_marked_booking::<EwsRoom>().await;

    // Checked before and after the write; no invitation sent.
    let ops = room.operations();
    let create = ops.iter().position(|o| o == "CreateItem").unwrap();
    assert_eq!(ops[create - 1], "FindItem");
    assert_eq!(ops[create + 1], "FindItem");
    assert!(
        room.first("CreateItem")
            .body_text()
            .contains(r#"SendMeetingInvitations="SendToNone""#)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_moves_the_end_only_while_the_room_is_free_afterwards() {
    let (room, _) =
        on_either_server::extend_moves_the_end_only_while_the_room_is_free_afterwards::<EwsRoom>()
            .await;
    let mailbox = room.mailbox();
    let id = mailbox.id_of("Standup").unwrap();
    assert!(mailbox.change_key(&id).is_some());
    assert!(
        room.first("UpdateItem").body_text().contains("ChangeKey="),
        "sent with the ChangeKey last read"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_change_key_is_read_again_and_decided_again() {
    // Refused once with ErrorIrresolvableConflict, then done.
    on_either_server::a_stale_version_is_read_again_and_decided_again::<EwsRoom>().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_account_is_told_the_exact_permission_to_grant() {
    let (extend_err, book_err) =
        on_either_server::a_read_only_console_is_refused_and_keeps_the_agenda::<EwsRoom>().await;
    assert!(
        extend_err.contains("Add-MailboxFolderPermission -Identity confrm2@contoso.com:\\Calendar -User CONTOSO\\svc-rooms -AccessRights Editor"),
        "{extend_err}"
    );
    assert!(book_err.contains("ErrorAccessDenied"), "{book_err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_throttle_is_waited_out_and_books_once() {
    let room = on_either_server::a_short_throttle_is_waited_out_and_books_once::<EwsRoom>().await;
    let creates: Vec<String> = room
        .server
        .requests()
        .iter()
        .filter(|r| r.operation == "CreateItem")
        .map(|r| r.body_text())
        .collect();
    assert_eq!(creates.len(), 2, "asked again after the wait");
    assert_eq!(creates[0], creates[1], "the same booking asked again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting() {
    on_either_server::a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting::<EwsRoom>(
        |_| {},
    )
    .await;
}
