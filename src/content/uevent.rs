//! Kernel hot-plug events (netlink `NETLINK_KOBJECT_UEVENT`): wakes DRM sources when a
//! connector changes (`SUBSYSTEM=drm` with `HOTPLUG=1`) instead of polling.

use std::os::fd::{AsRawFd, OwnedFd};

use nix::sys::socket::{
    AddressFamily, MsgFlags, NetlinkAddr, SockFlag, SockProtocol, SockType, bind, recv, socket,
};
use tokio::io::unix::AsyncFd;

/// The multicast group the kernel itself sends uevents to (udev re-broadcasts on 2).
const KERNEL_UEVENT_GROUP: u32 = 1;
/// A uevent is at most a few kilobytes (the kernel caps the environment at 2 KiB).
const UEVENT_BUFFER: usize = 8192;

/// A subscription to the kernel's uevents. Must be opened inside a tokio runtime.
pub(crate) struct UeventListener {
    socket: AsyncFd<OwnedFd>,
}

impl UeventListener {
    /// Opens the netlink socket. Fails in containers and sandboxes that forbid it; the
    /// caller then polls.
    pub(crate) fn open() -> std::io::Result<UeventListener> {
        let fd = socket(
            AddressFamily::Netlink,
            SockType::Datagram,
            SockFlag::SOCK_NONBLOCK | SockFlag::SOCK_CLOEXEC,
            SockProtocol::NetlinkKObjectUEvent,
        )?;
        bind(fd.as_raw_fd(), &NetlinkAddr::new(0, KERNEL_UEVENT_GROUP))?;
        // SAFETY: the `OwnedFd` is moved into the `AsyncFd`, which keeps it open and
        // unchanged until the `AsyncFd` is dropped.
        let socket = unsafe { AsyncFd::register(fd) }?;
        Ok(UeventListener { socket })
    }

    /// Waits for the next DRM hot-plug uevent; other uevents are skipped. On a socket
    /// error it never resolves, leaving the caller's safety poll in charge.
    pub(crate) async fn next_drm_hotplug(&mut self) {
        let mut buffer = vec![0u8; UEVENT_BUFFER];
        loop {
            let Ok(mut guard) = self.socket.readable().await else {
                return std::future::pending().await;
            };
            match guard.try_io(|fd| {
                recv(fd.as_raw_fd(), &mut buffer, MsgFlags::empty()).map_err(std::io::Error::from)
            }) {
                Ok(Ok(length)) => {
                    if is_drm_hotplug(&buffer[..length.min(buffer.len())]) {
                        return;
                    }
                }
                // ENOBUFS (the kernel dropped events) and the like: something may have
                // changed, so wake the reader.
                Ok(Err(_)) => return,
                Err(_would_block) => continue,
            }
        }
    }
}

/// Whether a raw uevent message (`change@/devices/…\0ACTION=change\0SUBSYSTEM=drm\0
/// HOTPLUG=1\0…`) is a DRM hot-plug event.
pub(crate) fn is_drm_hotplug(message: &[u8]) -> bool {
    let mut fields = message.split(|&b| b == 0);
    // The first field is the `action@devpath` header, not a KEY=VALUE pair.
    fields.next();
    let mut drm = false;
    let mut hotplug = false;
    for field in fields {
        match field {
            b"SUBSYSTEM=drm" => drm = true,
            b"HOTPLUG=1" => hotplug = true,
            _ => {}
        }
    }
    drm && hotplug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_drm_hotplug_messages() {
        let hotplug = b"change@/devices/platform/gpu/drm/card0\0ACTION=change\0\
DEVPATH=/devices/platform/gpu/drm/card0\0SUBSYSTEM=drm\0HOTPLUG=1\0DEVNAME=dri/card0\0SEQNUM=4242\0";
        assert!(is_drm_hotplug(hotplug));
        let usb = b"add@/devices/usb1/1-1\0ACTION=add\0SUBSYSTEM=usb\0SEQNUM=1\0";
        assert!(!is_drm_hotplug(usb));
        let drm_without_hotplug = b"change@/devices/drm/card0\0ACTION=change\0SUBSYSTEM=drm\0";
        assert!(!is_drm_hotplug(drm_without_hotplug));
        // A header alone that happens to look like a field does not count.
        assert!(!is_drm_hotplug(b"SUBSYSTEM=drm\0HOTPLUG=1"));
    }
}
