//! SOAP on the wire: reading request envelopes and writing Exchange-shaped responses.

pub mod read;
pub mod write;
