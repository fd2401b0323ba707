//! An HTTP answer read piece by piece as the server sends it (GetStreamingEvents keeps
//! its answer open for up to 30 minutes), over reqwest or NTLM's own connection, with
//! the answer's headers (the `X-BackEndOverrideCookie` Exchange sets).

use bytes::Bytes;
use http_body_util::BodyExt;
use reqwest::header::HeaderMap;

use super::error::EwsError;

/// The body of an answer, as it arrives.
pub(crate) struct SoapStream {
    headers: HeaderMap,
    body: Body,
}

enum Body {
    Reqwest(reqwest::Response),
    Hyper(hyper::body::Incoming),
    /// An answer already read whole (a SOAP fault), handed out once.
    Whole(Option<Vec<u8>>),
}

impl SoapStream {
    pub(crate) fn reqwest(response: reqwest::Response) -> SoapStream {
        SoapStream {
            headers: response.headers().clone(),
            body: Body::Reqwest(response),
        }
    }

    pub(crate) fn hyper(response: hyper::Response<hyper::body::Incoming>) -> SoapStream {
        let (parts, body) = response.into_parts();
        SoapStream {
            headers: parts.headers,
            body: Body::Hyper(body),
        }
    }

    pub(crate) fn whole(body: Vec<u8>) -> SoapStream {
        SoapStream {
            headers: HeaderMap::new(),
            body: Body::Whole(Some(body)),
        }
    }

    /// The answer's headers.
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next piece of the body; None at its end. A connection that breaks off is
    /// `TruncatedBody` (or `Timeout` when the time limit ended it).
    pub(crate) async fn chunk(&mut self) -> Result<Option<Bytes>, EwsError> {
        match &mut self.body {
            Body::Reqwest(response) => response.chunk().await.map_err(|e| match e.is_timeout() {
                true => EwsError::Timeout,
                false => EwsError::TruncatedBody,
            }),
            Body::Hyper(incoming) => loop {
                match incoming.frame().await {
                    None => return Ok(None),
                    Some(Err(_)) => return Err(EwsError::TruncatedBody),
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            return Ok(Some(data));
                        }
                    }
                }
            },
            Body::Whole(body) => Ok(body.take().map(Bytes::from)),
        }
    }
}
