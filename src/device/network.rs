//! The device's place on the network, for `room-console status` and the admin screen:
//! its host name and each interface's IPv4 and IPv6 addresses (loopback left out), read
//! with getifaddrs(3) through `nix`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;

/// One network interface with its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interface {
    /// The kernel's name: `eth0`, `wlan0`, `enp3s0`.
    pub name: String,
    /// IPv4 addresses first, then IPv6, as the kernel lists them.
    pub addresses: Vec<IpAddr>,
}

/// The host name, or `None` when it cannot be read.
pub fn host_name() -> Option<String> {
    match nix::unistd::gethostname() {
        Ok(name) => Some(name.to_string_lossy().into_owned()),
        Err(err) => {
            tracing::warn!("cannot read the host name: {err}");
            None
        }
    }
}

/// The interfaces with at least one address, loopback left out, sorted by name.
pub(crate) fn interfaces() -> Vec<Interface> {
    let entries = match nix::ifaddrs::getifaddrs() {
        Ok(entries) => entries,
        Err(err) => {
            tracing::warn!("cannot list the network interfaces: {err}");
            return Vec::new();
        }
    };
    group(entries.filter_map(|entry| {
        let address = entry.address?;
        let ip = if let Some(v4) = address.as_sockaddr_in() {
            IpAddr::V4(v4.ip())
        } else {
            IpAddr::V6(address.as_sockaddr_in6()?.ip())
        };
        let loopback = entry
            .flags
            .contains(nix::net::if_::InterfaceFlags::IFF_LOOPBACK);
        Some((entry.interface_name, ip, loopback))
    }))
}

/// Groups `(interface, address, is loopback)` by interface: loopback left out, names
/// sorted, IPv4 before IPv6, no address twice.
pub fn group(entries: impl IntoIterator<Item = (String, IpAddr, bool)>) -> Vec<Interface> {
    let mut by_name: BTreeMap<String, Vec<IpAddr>> = BTreeMap::new();
    for (name, ip, loopback) in entries {
        if loopback || ip.is_loopback() {
            continue;
        }
        let addresses = by_name.entry(name).or_default();
        if !addresses.contains(&ip) {
            addresses.push(ip);
        }
    }
    by_name
        .into_iter()
        .map(|(name, mut addresses)| {
            addresses.sort_by_key(|ip| ip.is_ipv6());
            Interface { name, addresses }
        })
        .collect()
}

/// One line for people: `eth0 192.168.1.20, fe80::1; wlan0 10.0.0.7`.
pub fn describe(interfaces: &[Interface]) -> String {
    if interfaces.is_empty() {
        return "no network address (check the cable or the Wi-Fi)".to_owned();
    }
    interfaces
        .iter()
        .map(|interface| {
            let addresses: Vec<String> =
                interface.addresses.iter().map(IpAddr::to_string).collect();
            format!("{} {}", interface.name, addresses.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn groups_by_interface_without_loopback_ipv4_first() {
        let interfaces = group([
            ("wlan0".to_owned(), ip("fe80::2"), false),
            ("lo".to_owned(), ip("127.0.0.1"), true),
            ("lo".to_owned(), ip("::1"), true),
            ("eth0".to_owned(), ip("fe80::1"), false),
            ("eth0".to_owned(), ip("192.168.1.20"), false),
            ("eth0".to_owned(), ip("192.168.1.20"), false),
            ("wlan0".to_owned(), ip("10.0.0.7"), false),
            ("dummy".to_owned(), ip("127.0.0.2"), false),
        ]);
        assert_eq!(
            interfaces,
            vec![
                Interface {
                    name: "eth0".into(),
                    addresses: vec![ip("192.168.1.20"), ip("fe80::1")],
                },
                Interface {
                    name: "wlan0".into(),
                    addresses: vec![ip("10.0.0.7"), ip("fe80::2")],
                },
            ]
        );
        assert_eq!(
            describe(&interfaces),
            "eth0 192.168.1.20, fe80::1; wlan0 10.0.0.7, fe80::2"
        );
    }

    #[test]
    fn no_address_says_what_to_check() {
        assert!(describe(&group([("lo".to_owned(), ip("::1"), true)])).contains("cable"));
    }

    #[test]
    fn serialises_addresses_as_text() {
        let json = serde_json::to_value(group([("eth0".to_owned(), ip("2001:db8::5"), false)]))
            .expect("json");
        assert_eq!(
            json,
            serde_json::json!([{ "name": "eth0", "addresses": ["2001:db8::5"] }])
        );
    }
}
