//! NTLM messages (MS-NLMP), both sides: the server builds Type 2 challenges and verifies
//! NTLMv2 Type 3 answers; tests build Type 1 and Type 3 messages with the same code, so a
//! wrong password computes a proof the server rejects.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use md5::Md5;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";
const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const ALWAYS_SIGN: u32 = 0x0000_8000;
const TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
const EXTENDED_SESSION_SECURITY: u32 = 0x0008_0000;
const TARGET_INFO: u32 = 0x0080_0000;
const NEGOTIATE_VERSION: u32 = 0x0200_0000;
const NEGOTIATE_128: u32 = 0x2000_0000;
const NEGOTIATE_56: u32 = 0x8000_0000;

/// A fixed FILETIME for MsvAvTimestamp: tests read no clock.
const TIMESTAMP: u64 = 0x01D9_0000_0000_0000;

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn from_utf16(bytes: &[u8]) -> Option<String> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// NTOWFv2 = HMAC-MD5(MD4(UTF16LE(password)), UTF16LE(UPPER(user) + domain)).
pub fn ntowf_v2(password: &str, user: &str, domain: &str) -> [u8; 16] {
    let nt_hash = Md4::digest(utf16(password));
    hmac_md5(
        &nt_hash,
        &[&utf16(&format!("{}{domain}", user.to_uppercase()))],
    )
}

/// The message type (1, 2 or 3) of an NTLM token.
pub fn message_type(token: &[u8]) -> Option<u32> {
    if token.len() < 12 || &token[..8] != SIGNATURE {
        return None;
    }
    Some(u32::from_le_bytes([
        token[8], token[9], token[10], token[11],
    ]))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The bytes a security buffer (length, max length, offset) at `at` points to.
fn security_buffer(message: &[u8], at: usize) -> Option<&[u8]> {
    let length = usize::from(u16_at(message, at)?);
    let offset = usize::try_from(u32_at(message, at + 4)?).ok()?;
    message.get(offset..offset.checked_add(length)?)
}

fn push_security_buffer(header: &mut Vec<u8>, length: usize, offset: usize) {
    let length = u16::try_from(length).unwrap_or(u16::MAX);
    header.extend_from_slice(&length.to_le_bytes());
    header.extend_from_slice(&length.to_le_bytes());
    header.extend_from_slice(&u32::try_from(offset).unwrap_or(u32::MAX).to_le_bytes());
}

const VERSION: [u8; 8] = [6, 1, 0xB1, 0x1D, 0, 0, 0, 0x0F];

/// Type 1, as a client sends it first.
pub fn negotiate_message() -> Vec<u8> {
    let flags = NEGOTIATE_UNICODE
        | REQUEST_TARGET
        | NEGOTIATE_NTLM
        | ALWAYS_SIGN
        | EXTENDED_SESSION_SECURITY
        | NEGOTIATE_VERSION
        | NEGOTIATE_128
        | NEGOTIATE_56;
    let mut message = SIGNATURE.to_vec();
    message.extend_from_slice(&1u32.to_le_bytes());
    message.extend_from_slice(&flags.to_le_bytes());
    push_security_buffer(&mut message, 0, 40);
    push_security_buffer(&mut message, 0, 40);
    message.extend_from_slice(&VERSION);
    message
}

fn av_pair(id: u16, value: &[u8]) -> Vec<u8> {
    let mut pair = id.to_le_bytes().to_vec();
    pair.extend_from_slice(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_le_bytes());
    pair.extend_from_slice(value);
    pair
}

/// Type 2, the server's challenge, naming `domain` and `server` as IIS does.
pub fn challenge_message(server_challenge: [u8; 8], domain: &str, server: &str) -> Vec<u8> {
    let flags = NEGOTIATE_UNICODE
        | REQUEST_TARGET
        | NEGOTIATE_NTLM
        | ALWAYS_SIGN
        | TARGET_TYPE_DOMAIN
        | EXTENDED_SESSION_SECURITY
        | TARGET_INFO
        | NEGOTIATE_VERSION
        | NEGOTIATE_128
        | NEGOTIATE_56;
    let target_name = utf16(domain);
    let mut target_info = Vec::new();
    target_info.extend(av_pair(2, &utf16(domain)));
    target_info.extend(av_pair(1, &utf16(server)));
    target_info.extend(av_pair(
        4,
        &utf16(&format!("{}.test", domain.to_lowercase())),
    ));
    target_info.extend(av_pair(
        3,
        &utf16(&format!("{}.test", server.to_lowercase())),
    ));
    target_info.extend(av_pair(7, &TIMESTAMP.to_le_bytes()));
    target_info.extend(av_pair(0, &[]));
    let payload_start = 56;
    let mut message = SIGNATURE.to_vec();
    message.extend_from_slice(&2u32.to_le_bytes());
    push_security_buffer(&mut message, target_name.len(), payload_start);
    message.extend_from_slice(&flags.to_le_bytes());
    message.extend_from_slice(&server_challenge);
    message.extend_from_slice(&[0; 8]);
    push_security_buffer(
        &mut message,
        target_info.len(),
        payload_start + target_name.len(),
    );
    message.extend_from_slice(&VERSION);
    message.extend_from_slice(&target_name);
    message.extend_from_slice(&target_info);
    message
}

/// What a client needs from a Type 2.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub server_challenge: [u8; 8],
    pub target_info: Vec<u8>,
    pub flags: u32,
}

pub fn parse_challenge(message: &[u8]) -> Option<Challenge> {
    if message_type(message)? != 2 {
        return None;
    }
    Some(Challenge {
        flags: u32_at(message, 20)?,
        server_challenge: message.get(24..32)?.try_into().ok()?,
        target_info: security_buffer(message, 40)?.to_vec(),
    })
}

/// Type 3 with an NTLMv2 response for `user`/`domain`/`password`.
pub fn authenticate_message(
    challenge: &Challenge,
    user: &str,
    domain: &str,
    password: &str,
    client_challenge: [u8; 8],
) -> Vec<u8> {
    let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
    blob.extend_from_slice(&TIMESTAMP.to_le_bytes());
    blob.extend_from_slice(&client_challenge);
    blob.extend_from_slice(&[0; 4]);
    blob.extend_from_slice(&challenge.target_info);
    blob.extend_from_slice(&[0; 4]);
    let key = ntowf_v2(password, user, domain);
    let proof = hmac_md5(&key, &[&challenge.server_challenge, &blob]);
    let mut nt_response = proof.to_vec();
    nt_response.extend_from_slice(&blob);
    let lm_response = [0u8; 24];
    let fields: [Vec<u8>; 6] = [
        lm_response.to_vec(),
        nt_response,
        utf16(domain),
        utf16(user),
        utf16("ROOMCONSOLE"),
        Vec::new(),
    ];
    let mut offset = 88;
    let mut message = SIGNATURE.to_vec();
    message.extend_from_slice(&3u32.to_le_bytes());
    for field in &fields {
        push_security_buffer(&mut message, field.len(), offset);
        offset += field.len();
    }
    message.extend_from_slice(&(challenge.flags & !TARGET_TYPE_DOMAIN).to_le_bytes());
    message.extend_from_slice(&VERSION);
    message.extend_from_slice(&[0; 16]);
    for field in &fields {
        message.extend_from_slice(field);
    }
    message
}

/// The parts of a Type 3 the server checks.
#[derive(Debug, Clone)]
pub struct Authenticate {
    pub user: String,
    pub domain: String,
    pub nt_response: Vec<u8>,
}

pub fn parse_authenticate(message: &[u8]) -> Option<Authenticate> {
    if message_type(message)? != 3 {
        return None;
    }
    let flags = u32_at(message, 60)?;
    let text = |bytes: &[u8]| {
        if flags & NEGOTIATE_UNICODE != 0 {
            from_utf16(bytes)
        } else {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    };
    Some(Authenticate {
        nt_response: security_buffer(message, 20)?.to_vec(),
        domain: text(security_buffer(message, 28)?)?,
        user: text(security_buffer(message, 36)?)?,
    })
}

/// Checks an NTLMv2 response: NTProofStr = HMAC-MD5(NTOWFv2, server challenge + blob).
/// NTLMv1 (a 24-byte response) is refused, as a hardened Exchange does.
pub fn verify_ntlm_v2(
    authenticate: &Authenticate,
    password: &str,
    server_challenge: [u8; 8],
) -> bool {
    if authenticate.nt_response.len() <= 24 {
        return false;
    }
    let (proof, blob) = authenticate.nt_response.split_at(16);
    let key = ntowf_v2(password, &authenticate.user, &authenticate.domain);
    hmac_md5(&key, &[&server_challenge, blob]) == proof
}
