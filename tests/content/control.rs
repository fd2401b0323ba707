//! The control socket end to end in a temp dir: owner-only modes, commands delivered,
//! unknown and over-long commands refused, clear errors when no console runs.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use room_console::content::control::{
    ControlCommand, ControlError, ControlServer, control_socket_path, send_command,
};
use tokio::sync::mpsc;

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Sends through the blocking client without blocking the runtime.
async fn send(path: &Path, command: &str) -> Result<String, ControlError> {
    let path = path.to_path_buf();
    let command = command.to_string();
    tokio::task::spawn_blocking(move || send_command(&path, &command))
        .await
        .unwrap()
}

fn start(path: &Path) -> mpsc::Receiver<ControlCommand> {
    let server = ControlServer::bind(path).unwrap();
    let (commands, received) = mpsc::channel(8);
    tokio::spawn(server.serve(commands));
    received
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_reach_the_console_through_an_owner_only_socket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runtime/room-console/control.sock");
    let mut received = start(&path);

    assert_eq!(mode_of(path.parent().unwrap()), 0o700);
    assert_eq!(mode_of(&path), 0o600);

    assert_eq!(send(&path, "content connect").await.unwrap(), "ok");
    assert_eq!(received.recv().await, Some(ControlCommand::ContentConnect));
    assert_eq!(send(&path, "content disconnect").await.unwrap(), "ok");
    assert_eq!(
        received.recv().await,
        Some(ControlCommand::ContentDisconnect)
    );

    // Ping is answered by the server itself.
    assert_eq!(send(&path, "ping").await.unwrap(), "ok");
    assert!(received.try_recv().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_are_refused_with_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("control.sock");
    let mut received = start(&path);

    match send(&path, "content explode").await {
        Err(ControlError::Rejected(reason)) => {
            assert_eq!(
                reason,
                "unknown command \"content explode\"; known: content connect, content disconnect, ping"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(received.try_recv().is_err());
    assert!(matches!(
        send(&path, "two\nlines").await,
        Err(ControlError::InvalidCommand(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_takes_several_lines_and_long_lines_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("control.sock");
    let mut received = start(&path);

    let replies = tokio::task::spawn_blocking({
        let path = path.clone();
        move || {
            let mut stream = UnixStream::connect(&path).unwrap();
            stream
                .write_all(b"content connect\nCONTENT   Disconnect\n")
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut replies = Vec::new();
            for _ in 0..2 {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                replies.push(line);
            }
            stream.write_all(&[b'x'; 4096]).unwrap();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            replies.push(line);
            // The server hangs up after a line that is too long (EOF, or a reset when
            // the kernel still held unread bytes of it).
            let mut rest = String::new();
            assert!(matches!(reader.read_line(&mut rest), Ok(0) | Err(_)));
            replies
        }
    })
    .await
    .unwrap();
    assert_eq!(replies[0], "ok\n");
    assert_eq!(replies[1], "ok\n");
    assert_eq!(replies[2], "error line longer than 256 bytes\n");
    assert_eq!(received.recv().await, Some(ControlCommand::ContentConnect));
    assert_eq!(
        received.recv().await,
        Some(ControlCommand::ContentDisconnect)
    );
}

#[test]
fn no_console_running_is_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("control.sock");
    let error = send_command(&path, "content connect").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no running console found at {} (is room-console running?)",
            path.display()
        )
    );
    // A socket file left behind by a console that crashed: same answer.
    let stale = std::os::unix::net::UnixListener::bind(&path).unwrap();
    drop(stale);
    assert!(matches!(
        send_command(&path, "content connect"),
        Err(ControlError::NotRunning { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_socket_is_replaced_and_a_live_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("control.sock");
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());

    let server = ControlServer::bind(&path).unwrap();
    assert!(matches!(
        ControlServer::bind(&path),
        Err(ControlError::AlreadyRunning { .. })
    ));
    drop(server);
    assert!(!path.exists(), "the socket file goes with the server");

    std::fs::write(&path, "not a socket").unwrap();
    assert!(matches!(
        ControlServer::bind(&path),
        Err(ControlError::NotASocket { .. })
    ));
    assert!(path.is_file(), "a file that is not a socket is left alone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_stops_when_the_console_stops_listening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("control.sock");
    let server = ControlServer::bind(&path).unwrap();
    let (commands, received) = mpsc::channel(1);
    let serving = tokio::spawn(server.serve(commands));
    drop(received);
    serving.await.unwrap();
    assert!(!path.exists());
}

#[test]
fn socket_path_prefers_the_runtime_dir() {
    let data = Path::new("/var/lib/room-console");
    let with_runtime =
        |name: &str| (name == "XDG_RUNTIME_DIR").then(|| "/run/user/1000".to_string());
    assert_eq!(
        control_socket_path(with_runtime, data),
        PathBuf::from("/run/user/1000/room-console/control.sock")
    );
    assert_eq!(
        control_socket_path(|_| None, data),
        PathBuf::from("/var/lib/room-console/control.sock")
    );
    assert_eq!(
        control_socket_path(|_| Some(String::new()), data),
        PathBuf::from("/var/lib/room-console/control.sock")
    );
}
