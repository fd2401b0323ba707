//! The sentences an admin reads (the checks' findings and fixes, the Exchange and Graph
//! failures, the settings' errors, the mailbox health hints), each once, in English with numbered places (`{0}`, `{1}`, …) for what comes from outside:
//! addresses, URLs, counts, fingerprints, PowerShell commands and a server's own error
//! text, which stay as they are in every language.
//!
//! Rust fills them in English for the command line and the logs; the screens fill the same
//! sentences in their language through `ui/components/phrase_words.slint`, which is
//! generated from this table (`phrase_words_file`) and kept equal to it by a test, so a
//! sentence cannot change in one place only. Its `@tr` strings are the msgids of the
//! translations in `translations/`.

word_table! {
    /// One sentence with numbered places for its arguments. Stored by its name (the
    /// sync's last error), so renaming a phrase needs a thought for stored ones.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub enum Phrase;
    /// The English template, with `{0}`, `{1}`, … where the arguments go.
    fn english;
    // ---- the checks' own findings ----
    DemoNeedsNoServer => "Not needed: the demo calendar has no server.",
    ServerAnswered => "{0} answered; its certificate is trusted.",
    ServersAnswered => "{0} and {1} answered; their certificates are trusted.",
    AutodiscoverTrusted => "Autodiscover answered over HTTPS; its certificate is trusted.",
    VersionNotKnownYet => "Not known yet: Exchange tells its version only to a signed-in account.",
    VersionNotSaid => "The server did not say its version; it answers EWS.",
    VersionTooOld => "{0}. The calendar works, but the room mailbox should be on Exchange 2013 or later: older servers lack the online-meeting fields and Remote PowerShell for room systems (KB 3103746).",
    VersionTooOldFix => "Move the room mailbox to Exchange Server 2013 or later (or Exchange Online), and connect Remote PowerShell to a 2013 or later endpoint.",
    VersionRecent => "{0}: Exchange 2013 or later.",
    SignedIn => "{0} signed in.",
    MayImpersonate => "{0} may impersonate {1}.",
    ImpersonationNotNeeded => "Not needed: the console signs in as the room itself.",
    MailboxFound => "Exchange has the mailbox {0}.",
    CalendarReadable => "The calendar of {0} can be read: {1} meetings in the next {2} days.",
    CheckedFor => "Checked for {0}.",
    AppGotToken => "App {0} got a token from tenant {1} and may read calendars (Calendars.Read, admin consent given).",
    MailboxInAppScope => "{0} is reachable: it is within the app's scope.",
    NotCheckedServerFailed => "Not checked: \"Server reachable, certificate trusted\" failed first.",
    NotCheckedSignInFailed => "Not checked: \"Sign-in\" failed first.",
    NotCheckedImpersonationFailed => "Not checked: \"Impersonation of the room mailbox\" failed first.",
    NotCheckedMailboxFailed => "Not checked: \"Room mailbox found\" failed first.",
    NotCheckedCalendarFailed => "Not checked: \"Calendar readable\" failed first.",
    CertificatePresented => "The server presents a certificate for \"{0}\" issued by \"{1}\" (SHA-256 fingerprint {2}).",
    CertificateFix => "Install the issuing CA (\"{0}\") as TrustedCaFile (a PEM file, in the setup wizard or the provisioning file) and check again, or have the server use a certificate from a CA the console already trusts. Compare the fingerprint with the server's certificate first: if they differ, something between the console and the server (a TLS-inspecting proxy) presents its own certificate, and its root CA is the one to install. An expired certificate or a wrong device clock fails the same way: check the date and time.",
    NoInvitationsYet => "No upcoming meetings to look at yet. Send the room a test invitation with a Teams or Skype link and check again to see that it arrives intact.",
    InvitationsIntact => "{0} upcoming invitations checked: bodies and subjects are intact.",
    BodiesDeleted => "{0} of {1} upcoming invitations arrived without their text, so their join links are gone (the room mailbox deletes comments: DeleteComments).",
    SubjectsDeleted => "{0} of {1} upcoming invitations lost their subject (the room mailbox replaces it: DeleteSubject).",
    OrganizerAddedToSubject => "{0} of {1} upcoming invitations have the organizer's name put in front of their subject (AddOrganizerToSubject).",
    CalendarProcessingFix => "Run `{0}` in Exchange PowerShell. Invitations sent after the change arrive intact; ask organizers to resend earlier ones.",
    NoMeetingsForJoinLinks => "No upcoming meetings to look at yet. Send the room a test Teams invitation and check again to see that its join link arrives.",
    NoOnlineMeetings => "{0} upcoming meetings checked; none of them is an online meeting.",
    JoinLinksFound => "{0} of {1} upcoming online meetings have a join link ({2} meetings checked).",
    // ---- Exchange (EWS) failures (`EwsError::wording` and `fix_wording`) ----
    EwsImpersonationDenied => "{0} may not impersonate {1}: Exchange refused the impersonation (ErrorImpersonateUserDenied).",
    EwsNoSuchMailbox => "Exchange has no mailbox {0} (ErrorNonExistentMailbox).",
    EwsAccessDenied => "Exchange denied {0} access to the calendar of {1} (ErrorAccessDenied).",
    EwsThrottledWait => "Exchange is throttling requests from {0} (ErrorServerBusy) and asks the console to wait {1} seconds.",
    EwsThrottled => "Exchange is throttling requests from {0} (ErrorServerBusy).",
    EwsTooManyConnections => "{0} has too many connections open to Exchange at once (ErrorTooManyObjectsOpened), usually because other devices or applications use the same account.",
    EwsErrorCode => "Exchange answered with the error {0}.",
    EwsErrorCodeSaying => "Exchange answered with the error {0}: {1}",
    EwsSoapFault => "Exchange reported a fault ({0}): {1}",
    EwsSignInFailed => "Sign-in to Exchange as {0} failed (HTTP 401): a wrong password, an expired password, a locked account, or the wrong sign-in method.",
    EwsServerOffers => "The server offers: {0}.",
    EwsForbidden => "Exchange at {0} refused {1} (HTTP 403): EWS may be turned off for the account, or the server demands a client certificate.",
    EwsUnavailableRetry => "Exchange at {0} is unavailable for now (HTTP {1}) and asks the console to retry in {2} seconds.",
    EwsUnavailable => "Exchange at {0} is unavailable for now (HTTP {1}).",
    EwsRedirected => "{0} redirects (HTTP {1}) to {2}: it is not the EWS address itself.",
    EwsHttpStatus => "Exchange at {0} answered with HTTP status {1}.",
    EwsWebPage => "{0} answered with a web page instead of EWS (HTTP {1}): a sign-in page, a proxy, or a web server error page.",
    EwsTitledWebPage => "{0} answered with a web page (\"{1}\") instead of EWS (HTTP {2}): a sign-in page, a proxy, or a web server error page.",
    EwsEmptyAnswer => "Exchange at {0} sent an empty answer (HTTP {1}).",
    EwsAnswerCutOff => "The answer from {0} was cut off before its end: the connection broke.",
    EwsTlsFailed => "The secure connection to {0} failed ({1}): the server's certificate is not trusted, has expired, or does not name this server.",
    EwsCannotConnect => "Cannot connect to {0}: {1}.",
    EwsTimeout => "Exchange at {0} did not answer in time.",
    EwsConnectionFailed => "The connection to {0} failed: {1}.",
    EwsPlainHttp => "The EWS address {0} uses plain http://, which would send the password unencrypted.",
    EwsNtlmFailed => "NTLM sign-in as {0} to {1} failed: {2}.",
    EwsSchemaVersionStepsDown => "Exchange does not know the EWS schema version the console asked for (ErrorInvalidServerVersion); the console steps down to an older version by itself.",
    EwsWindowTooLong => "The console asked for a calendar window longer than Exchange allows (ErrorCalendarViewRangeTooBig); it reads shorter windows instead.",
    EwsItemGone => "A meeting was deleted or moved while the console was reading it (ErrorItemNotFound); the next sync picks up the change.",
    EwsRedirectedElsewhere => "{0} redirects (HTTP {1}) to another address: it is not the EWS address itself.",
    EwsAnswerTooLarge => "The answer from {0} is larger than the {1} MiB the console accepts.",
    EwsNotXml => "The answer from {0} is not valid XML: {1}.",
    EwsRefusedForSafety => "The answer from {0} was refused for safety: {1}.",
    EwsNotEws => "The answer from {0} is not what EWS sends: {1}.",
    EwsInvalidSettings => "The EWS settings are invalid: {0}.",
    EwsImpersonationFix => "Grant it with `{0}` (optionally scoped to room mailboxes with -CustomRecipientWriteScope). A new role assignment can take some minutes to apply.",
    EwsNoSuchMailboxFix => "Check the room's e-mail address in the settings: it must be the primary SMTP address of an existing room mailbox (`{0}`).",
    EwsAccessDeniedFix => "With impersonation, grant {0} the ApplicationImpersonation role (`{1}`). Without impersonation, give it read access to the room's calendar: `{2}`.",
    EwsTooManyConnectionsFix => "Give the room consoles a service account of their own, or relax the EWS limits of {0} with a throttling policy (`New-ThrottlingPolicy`, `{1}`).",
    EwsThrottledFix => "If this persists, check the throttling policy of {0} (`{1}`) and whether other applications use the same account.",
    EwsSignInFix => "Check the password of {0} (sign in to Outlook on the web with it), unlock the account if it is locked, and choose the sign-in method the server offers (NTLM on-premises, Basic where enabled). Make the password non-expiring: `{1}` on-premises, `{2}` in Office 365.",
    EwsForbiddenFix => "Check that EWS is allowed for the account: `{0}`; turn it on with `{1}`.",
    EwsSchemaFix => "Set the Exchange version in the settings to the server's version, and report the problem with the diagnostics.",
    EwsImpersonationHeaderFix => "Turn impersonation off for this sign-in method: the server refuses the impersonation header with it.",
    EwsAnswerTooLargeFix => "Raise the response size limit, or read fewer meetings per request.",
    EwsAddressFix => "Use the EWS address itself, usually https://<server>/EWS/Exchange.asmx (Autodiscover finds it), and check any proxy between the console and Exchange.",
    EwsNotFoundFix => "Check the EWS address: it usually ends in /EWS/Exchange.asmx.",
    EwsTlsFix => "If Exchange uses a certificate from your own certificate authority, add that CA's certificate (PEM) as TrustedCaFile. Check that the console's date and time are right and that the address uses the name on the certificate.",
    EwsConnectFix => "Check the server name, DNS, the network connection and any firewall between the console and Exchange (HTTPS, port 443).",
    EwsPlainHttpFix => "Use an https:// address. Plain http:// is only for test servers and must be allowed explicitly.",
    EwsNtlmFix => "Check that the EWS virtual directory has Windows Authentication (NTLM) turned on, or choose Basic sign-in.",
    EwsSchemaRejected => "Exchange rejected a request of the console as invalid (ErrorSchemaValidation).",
    EwsSchemaRejectedSaying => "Exchange rejected a request of the console as invalid (ErrorSchemaValidation): {0}.",
    EwsSchemaRejectedAtLine => "Exchange rejected a request of the console as invalid (ErrorSchemaValidation) (line {0}).",
    EwsSchemaRejectedSayingAtLine => "Exchange rejected a request of the console as invalid (ErrorSchemaValidation): {0} (line {1}).",
    EwsSchemaConsoleFault => "This is a fault in the console, or the server is older than the Exchange version set for it.",
    EwsSyncStateRefused => "Exchange no longer accepts the saved sync state of {0} (ErrorInvalidSyncStateData); the console reads the whole calendar again.",
    // ---- Microsoft 365 (Graph) failures (`GraphError::wording` and `fix_wording`) ----
    GraphTlsFailed => "the secure connection to Microsoft 365 failed (certificate not trusted or TLS refused): {0}",
    GraphCannotConnect => "cannot reach Microsoft 365: {0}",
    GraphTimeout => "Microsoft 365 did not answer in time",
    GraphConnectionFailed => "the connection to Microsoft 365 failed: {0}",
    GraphSecretInvalid => "Entra ID refused the client secret of app {0} (AADSTS7000215: invalid client secret)",
    GraphSecretExpired => "the client secret of app {0} has expired (AADSTS7000222)",
    GraphAppNotFound => "no application with client ID {0} exists in tenant {1} (AADSTS700016)",
    GraphTenantNotFound => "the tenant {0} was not found in Entra ID",
    GraphConsentMissing => "app {0} may not read calendars: the Calendars.Read application permission is missing or not consented ({1})",
    GraphMailboxOutOfScope => "app {0} may not open {1}: the mailbox is outside the application's scope ({2})",
    GraphMailboxNotFound => "the room mailbox {0} was not found in Exchange Online ({1})",
    GraphSignInRefused => "Entra ID refused the sign-in of app {0} (HTTP {1}): {2}",
    GraphTokenRejected => "Microsoft Graph refused the app's access token: {0}",
    GraphPlainHttp => "{0} is plain http://: the client secret and the calendar would cross the network readable",
    GraphInvalidSettings => "the Graph settings cannot work: {0}",
    GraphThrottledWait => "Microsoft Graph is throttling the console; it asked to wait {0} s",
    GraphThrottled => "Microsoft Graph is throttling the console",
    GraphFailed => "Microsoft Graph failed ({0})",
    GraphAnsweredHttp => "Microsoft Graph answered HTTP {0} {1}: {2}",
    GraphUnreadable => "Microsoft Graph sent an answer the console cannot read: {0}",
    GraphAnswerTooLarge => "Microsoft Graph sent more than {0} bytes in one answer",
    GraphForeignLink => "Microsoft Graph sent a paging link to another server ({0}); the console did not follow it",
    GraphMeetingGone => "a meeting was deleted while the console read it",
    GraphChangeTokenExpired => "the calendar's change token expired; a full read follows",
    GraphNewSecretFix => "Create a new client secret in Entra ID > App registrations > {0} > Certificates & secrets and update ClientSecret (provisioning file or setup wizard).",
    GraphTlsFix => "If a proxy inspects TLS, set TrustedCaFile to its root CA; check the device's date and time.",
    GraphNetworkFix => "Check the network, DNS and firewall: the console needs HTTPS to login.microsoftonline.com and graph.microsoft.com.",
    GraphIdsFix => "Check TenantId and ClientId against Entra ID > App registrations > the app's Overview page.",
    GraphConsentFix => "In Entra ID > App registrations > {0} > API permissions, add Microsoft Graph > Application permissions > Calendars.Read and grant admin consent for Calendars.Read (application).",
    GraphScopeFix => "Add {0} to the app's scope in Exchange Online: with RBAC for Applications, add it to the management scope of the app's \"Application Calendars.Read\" role assignment ({1}); with an Application Access Policy, add the room to the policy's mail-enabled security group ({2}), then check with {3}.",
    GraphMailboxFix => "Check the room's e-mail address ({0}): the room mailbox was not found, or it is not an Exchange Online mailbox (on-premises mailboxes need the EWS source).",
    GraphPlainHttpFix => "Use the https:// address of Microsoft Graph.",
    GraphSettingsFix => "Complete the Graph settings (TenantId, ClientId, ClientSecret) in the setup wizard or the provisioning file.",
    GraphThrottledFix => "Nothing to do: the console waits as Microsoft Graph asked. If it lasts, check that no other app reads the room mailbox heavily.",
    GraphTokenFix => "Check the device's date and time; if it is right, create a new client secret and update ClientSecret.",
    // ---- settings and Autodiscover (src/sources) ----
    RoomAddressNotSet => "the room's Exchange e-mail address is not set",
    NoSignInAccount => "no account to sign in with is set",
    NoPasswordStored => "no password is stored for {0}",
    TrustedCaUnreadable => "cannot read the trusted CA file {0}: {1}",
    CompleteCalendarSettings => "Complete the calendar settings in the setup wizard or the provisioning file.",
    AutodiscoverCircle => "Autodiscover redirects in a circle: {0}",
    AutodiscoverTooManyRedirects => "Autodiscover redirected more than {0} times: {1}",
    AutodiscoverBadRedirect => "Autodiscover at {0} redirected to \"{1}\", which is not a URL",
    AutodiscoverNoDomain => "{0} has no usable domain for Autodiscover",
    AutodiscoverNoEwsUrl => "Autodiscover at {0} did not give an EWS URL for {1}",
    SetEwsUrl => "Set the EWS URL explicitly (EwsUrl in the provisioning file), e.g. https://mail.contoso.com/EWS/Exchange.asmx",
    CheckAutodiscoverRedirects => "Check the Autodiscover redirections (the mailbox's targetAddress and the Autodiscover virtual directories) in Exchange, or set the EWS URL explicitly (EwsUrl in the provisioning file), e.g. https://mail.contoso.com/EWS/Exchange.asmx",
    GraphRoomAddressNotSet => "the room's e-mail address is not set",
    GraphTenantNotSet => "the Microsoft 365 tenant ID (TenantId) is not set",
    GraphClientNotSet => "the app registration's client ID (ClientId) is not set",
    GraphNoSecretStored => "no client secret is stored for app {0}",
    CompleteGraphSettings => "Complete the Microsoft 365 settings (TenantId, ClientId, ClientSecret) in the setup wizard or the provisioning file.",
    // ---- the sync's own failures (src/sync) ----
    StoreCannotWrite => "cannot write the agenda cache: {0}",
    StoreCannotWriteFix => "Check that the device's storage is not full or failing; the console retries by itself.",
    // ---- the admin screen's mailbox health hints ----
    HintBodiesRemoved => "{0} of {1} invitations arrive with their text removed, so their Join links are lost.",
    HintOrganizerAsSubject => "{0} of {1} meetings show the organizer's name instead of their subject.",
    HintOnlineWithoutJoin => "{0} meetings look online (by their location) but have no Join link in their invitation.",
    HintOnlineWithoutJoinFix => "Ask organizers to invite the room from their meeting client (Teams, Skype for Business) so the link is in the invitation; check that no transport rule rewrites or removes the meeting text.",
    HintPasswordRefused => "The password of {0} was refused: it may have expired or been changed.",
    HintPasswordFix => "Set a new password in Change setup; to stop it expiring: {0} (on-premises) or {1} (Microsoft 365).",
    // ---- Microsoft 365 (Graph) writes: booking at the console ----
    GraphWriteNotPermitted => "app {0} may read the calendar of {1} but not change it: the Calendars.ReadWrite application permission is missing or not consented ({2})",
    GraphMeetingChanged => "the meeting changed on the server while the console acted on it (HTTP 412)",
    GraphWriteFix => "In Entra ID > App registrations > {0} > API permissions, add Microsoft Graph > Application permissions > Calendars.ReadWrite and grant admin consent (then Calendars.Read may be removed). In PowerShell (Microsoft Graph module, as a Privileged Role Administrator): {1}. With RBAC for Applications in Exchange Online instead: {2}.",
    // ---- Exchange (EWS) writes: booking at the console (`sources/ews_write.rs`) ----
    EwsWriteDenied => "Exchange denied {0} changing the calendar of {1} (ErrorAccessDenied): reading it is allowed, writing is not.",
    EwsWriteFix => "Give {0} Editor rights on the room's calendar: `{1}` (`Set-MailboxFolderPermission` when it already has Reviewer), or let a service account with the ApplicationImpersonation role act as the room.",
    // ---- the demo calendar (`sources/configured.rs`) ----
    DemoNeedsNoSync => "the demo calendar needs no sync",
    // ---- software updates (`update/error.rs`, `update/words.rs`) ----
    UpdateNotAvailable => "updates are not available on this system: the RAUC update service is not on the D-Bus ({0}).",
    UpdateNotAvailableFix => "On a console, check that rauc-service is installed and running (systemctl status rauc)",
    UpdateWrongDevice => "the update was not installed: the bundle is made for another kind of device (it is made for '{0}', this console is '{1}').",
    UpdateWrongDeviceSaying => "the update was not installed: the bundle is made for another kind of device ({0}).",
    UpdateWrongDeviceFix => "Fix: install the bundle built for this console model (its manifest's `compatible` must equal the one in /etc/rauc/system.conf)",
    UpdateUntrusted => "the update was not installed: its signature is not trusted by this console ({0}).",
    UpdateUntrustedFix => "Fix: sign the bundle with your update key whose certificate is in the console's RAUC keyring (the [keyring] path in /etc/rauc/system.conf), and check that the certificate has not expired",
    UpdateDoesNotFit => "the update was not installed: the image does not fit into the update slot ({0}).",
    UpdateDoesNotFitFix => "Fix: build a bundle whose image fits the console's partitions, or free space where the bundle is unpacked",
    UpdateSlotBusy => "the update was not installed: the update slot is busy ({0}).",
    UpdateSlotBusyFix => "Fix: another installation is running: wait until it has finished (see `room-console status`), then try again",
    UpdateRaucSaid => "the update was not installed: RAUC said: {0}.",
    UpdateRaucSaidFix => "Fix: read the console's log (journalctl -u rauc) for details, then try again",
    UpdateDownloadFailed => "cannot download the update from {0}: {1}",
    UpdateWrongChecksum => "the update file is not the expected one: its SHA-256 is {0}, not {1}.",
    UpdateWrongChecksumFix => "Fix: download it again, or check the checksum you were given",
    UpdateNoSpace => "not enough free space for the update: it needs {0} MB in {1}, {2} MB are free.",
    UpdateNoSpaceFix => "Fix: free space there, or install from a USB stick with `room-console update /media/…/bundle.raucb`",
    UpdateGateSyncFailed => "the new software failed its first calendar sync: {0}",
    UpdateGateNoFrame => "the new software did not draw its screen in time",
    UpdateGateNoSync => "the new software made no calendar sync that reached the server in time",
    UpdateCameBackInPrevious => "the console came back up in the previous software (slot {0})",
    // ---- the fleet's broker connection (`fleet/connect_error.rs`, `status/fleet_state.rs`) ----
    FleetClientCertificateWanted => "the broker at {0} asks for a client certificate and none is set: set Fleet/ClientCertificate and Fleet/ClientKey (--cert, --key)",
    FleetNoAnswer => "no answer from the broker at {0}: check the address and the firewall",
    FleetClosedAtStart => "the broker at {0} closed the connection (if it just started, this passes; otherwise check that it accepts this console's identity)",
    FleetConnectionFailed => "the connection to the broker at {0} failed: {1}",
    FleetPasswordRefused => "the broker at {0} refused the user name or password (Fleet/Username, Fleet/Password)",
    FleetPasswordWanted => "the broker at {0} asks for a user name and password: set Fleet/Username and Fleet/Password",
    FleetNotAuthorized => "the broker at {0} does not let this console in: check its certificate's name or user name against the broker's users and ACL",
    FleetBadClientId => "the broker at {0} refused the device id as a client id",
    FleetUnavailable => "the broker at {0} is unavailable for now",
    FleetWrongProtocol => "the broker at {0} does not speak MQTT 3.1.1",
    FleetAnsweredOddly => "the broker at {0} answered oddly",
    FleetNothingAnswers => "nothing answers at {0}: is the broker (Mosquitto) running and listening there?",
    FleetClosedConnection => "the broker at {0} closed the connection: it may have refused this console's certificate",
    FleetHostUnknown => "cannot find the broker's host name in {0}: check Fleet/Broker and DNS",
    FleetUnreachable => "cannot reach the broker at {0}: {1}",
    FleetUnknownIssuer => "the broker at {0} shows a certificate that is not signed by the trusted CA: check Fleet/TrustedCaFile (--ca)",
    FleetWrongName => "the broker's certificate is not made out to the name in Fleet/Broker ({0})",
    FleetCertificateExpired => "the broker's certificate at {0} has expired (or this console's clock is wrong)",
    FleetCertificateUntrusted => "the broker's certificate at {0} is not trusted: {1}",
    FleetCertificateRefused => "the broker at {0} refused this console's certificate: check Fleet/ClientCertificate and Fleet/ClientKey (--cert, --key) and that the fleet CA signed it",
    FleetTlsFailed => "TLS with the broker at {0} failed: {1}",
    FleetConsoleNotRunning => "the console is not running",
}

impl Phrase {
    /// The key the screens know the phrase by (`PhraseWords.sentence`).
    pub fn key(self) -> i32 {
        Phrase::ALL
            .iter()
            .position(|p| *p == self)
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(-1)
    }

    /// How many arguments the template takes: one more than its highest place.
    #[cfg(test)]
    pub(crate) fn arity(self) -> usize {
        places(self.english())
            .filter_map(|place| place.ok())
            .map(|n| n + 1)
            .max()
            .unwrap_or(0)
    }

    /// The template with `args` in its places. A place without an argument stays empty;
    /// an argument is never read for places, so a server's text with braces stays as is.
    pub fn fill(self, args: &[String]) -> String {
        let mut text = String::new();
        for piece in places(self.english()) {
            match piece {
                Ok(n) => text.push_str(args.get(n).map(String::as_str).unwrap_or_default()),
                Err(literal) => text.push_str(literal),
            }
        }
        text
    }
}

/// The pieces of a template: `Ok(n)` for the place `{n}`, `Err(text)` for literal text.
fn places(template: &'static str) -> impl Iterator<Item = Result<usize, &'static str>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix('{')
            && let Some(end) = after.find('}')
            && let Ok(n) = after[..end].parse::<usize>()
        {
            rest = &after[end + 1..];
            return Some(Ok(n));
        }
        let next = rest[1..].find('{').map_or(rest.len(), |i| i + 1);
        let (literal, after) = rest.split_at(next);
        rest = after;
        Some(Err(literal))
    })
}

/// The Slint file the screens fill the phrases with: one `@tr` per phrase, in key order.
#[cfg(test)]
fn phrase_words_file() -> String {
    let mut file = String::from(
        "// GENERATED from src/words/phrases.rs by its test `phrase_words_file_is_current`:\n\
         // do not edit; change the table there and run that test with UPDATE_PHRASE_WORDS=1.\n\
         //\n\
         // The checks' findings and fixes and the mailbox health hints in the screen's\n\
         // language. A wording is up to four sentences; a sentence is a phrase (by key) with\n\
         // its arguments (addresses, commands, counts: never translated), or, with key -1,\n\
         // text shown as it came.\n\
         \n\
         export struct PhraseSentence {\n    key: int,\n    args: [string],\n}\n\
         \n\
         export struct PhraseWording {\n    sentences: [PhraseSentence],\n}\n\
         \n\
         export global PhraseWords {\n\
         \x20   public pure function sentence(s: PhraseSentence) -> string {\n\
         \x20       return s.key < 0 ? s.args[0] : [\n",
    );
    for phrase in Phrase::ALL {
        let args: String = (0..phrase.arity())
            .map(|n| format!(", s.args[{n}]"))
            .collect();
        file.push_str(&format!(
            "            @tr(\"{}\"{args}),\n",
            super::generated::slint_string(phrase.english())
        ));
    }
    file.push_str(
        "        ][s.key];\n    }\n\n\
         \x20   // The sentences of `w`, separated by a space.\n\
         \x20   public pure function text(w: PhraseWording) -> string {\n\
         \x20       return sentence(w.sentences[0])\n\
         \x20           + (w.sentences.length > 1 ? \" \" + sentence(w.sentences[1]) : \"\")\n\
         \x20           + (w.sentences.length > 2 ? \" \" + sentence(w.sentences[2]) : \"\")\n\
         \x20           + (w.sentences.length > 3 ? \" \" + sentence(w.sentences[3]) : \"\");\n\
         \x20   }\n}\n",
    );
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::generated::assert_file_is_current;

    #[test]
    fn phrase_words_file_is_current() {
        assert_file_is_current(
            "ui/components/phrase_words.slint",
            &phrase_words_file(),
            "regenerate the translation template",
        );
    }

    #[test]
    fn places_are_filled_once_and_arguments_are_not_read_for_places() {
        let args = ["{1}".to_string(), "room@contoso.com".to_string()];
        assert_eq!(
            Phrase::MayImpersonate.fill(&args),
            "{1} may impersonate room@contoso.com."
        );
        assert_eq!(Phrase::MayImpersonate.arity(), 2);
        assert_eq!(Phrase::DemoNeedsNoServer.arity(), 0);
        assert_eq!(Phrase::GraphScopeFix.arity(), 4);
    }

    #[test]
    fn keys_follow_the_table() {
        assert_eq!(Phrase::DemoNeedsNoServer.key(), 0);
        for (i, phrase) in Phrase::ALL.iter().enumerate() {
            assert_eq!(phrase.key() as usize, i);
        }
    }

    #[test]
    fn templates_use_every_place_up_to_their_arity() {
        for phrase in Phrase::ALL {
            let used: Vec<usize> = places(phrase.english()).filter_map(Result::ok).collect();
            for n in 0..phrase.arity() {
                assert!(used.contains(&n), "{phrase:?} skips {{{n}}}");
            }
        }
    }
}
