//! Streaming the picture from a V4L2 HDMI receiver for the live preview: the receiver's
//! detected timings applied, a convertible pixel format chosen, mmap buffers queued,
//! frames taken one at a time and handed back. Dropping the stream stops it and frees
//! the buffers, so the next viewer (or the next start) finds the receiver free.

use std::num::NonZeroUsize;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use nix::libc::{self, c_int, c_void};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap};

use super::abi::{self, v4l2_dv_timings};
use super::device::V4l2Device;
use super::stream_abi::{
    self as sabi, V4L2_BUF_TYPE_VIDEO_CAPTURE, V4L2_MEMORY_MMAP, v4l2_buffer, v4l2_format,
};
use super::timings::mode_of;
use crate::content::preview::convert::SourceFrame;
use crate::content::preview::pixel::{PixelFormat, choose_format};
use crate::content::preview::problem::{
    PreviewProblem, ReceiverLimits, StreamStep, check_resolution, problem_of_errno,
};
use crate::content::preview::stream::{FrameStream, StreamWait};
use crate::content::reading::InputError;

/// Buffers asked for: one being filled, one being read, spares so the receiver never
/// waits for the preview.
const BUFFER_COUNT: u32 = 4;
/// `V4L2_BUF_TYPE_VIDEO_CAPTURE` as the `int` STREAMON/STREAMOFF take.
const CAPTURE_TYPE: c_int = V4L2_BUF_TYPE_VIDEO_CAPTURE as c_int;

/// One mmap'd driver buffer.
struct Mapped {
    address: NonNull<c_void>,
    length: usize,
}

/// A running capture stream on one receiver node.
pub(crate) struct V4l2Stream {
    path: PathBuf,
    device: V4l2Device,
    fd: Arc<OwnedFd>,
    buffers: Vec<Mapped>,
    format: PixelFormat,
    width: u32,
    height: u32,
    stride: usize,
    streaming: bool,
}

// SAFETY: the mapped buffers are plain memory owned by this stream alone; the raw
// pointers are only read while the stream is borrowed.
unsafe impl Send for V4l2Stream {}

impl V4l2Stream {
    /// Starts streaming from the receiver at `path`.
    pub(crate) fn start(path: &Path) -> Result<V4l2Stream, PreviewProblem> {
        let device = V4l2Device::open(path).map_err(|error| problem_of_open(path, &error))?;
        let fd = device.shared_fd();
        let raw = fd.as_raw_fd();
        let capability = device
            .capability()
            .map_err(|errno| problem_of_errno(path, StreamStep::Open, errno))?;
        if capability.device_caps & abi::V4L2_CAP_VIDEO_CAPTURE == 0
            && capability.device_caps & sabi::V4L2_CAP_VIDEO_CAPTURE_MPLANE != 0
        {
            return Err(PreviewProblem::MultiPlanar);
        }
        apply_detected_timings(path, &device, raw)?;
        let (format, width, height, stride) = set_format(path, raw)?;
        // Events tell the stream when the laptop changes resolution.
        device.subscribe_source_change();
        let mut stream = V4l2Stream {
            path: path.to_path_buf(),
            device,
            fd,
            buffers: Vec::new(),
            format,
            width,
            height,
            stride,
            streaming: false,
        };
        stream.map_buffers()?;
        stream.queue_all()?;
        // SAFETY: `CAPTURE_TYPE` is a valid int the ioctl only reads.
        unsafe { sabi::vidioc_streamon(raw, &CAPTURE_TYPE) }
            .map_err(|errno| problem_of_errno(path, StreamStep::Start, errno))?;
        stream.streaming = true;
        tracing::info!(
            path = %path.display(),
            %format, width, height,
            "content preview streaming"
        );
        Ok(stream)
    }

    fn raw(&self) -> c_int {
        self.fd.as_raw_fd()
    }

    fn map_buffers(&mut self) -> Result<(), PreviewProblem> {
        let mut request = sabi::v4l2_requestbuffers {
            count: BUFFER_COUNT,
            type_: V4L2_BUF_TYPE_VIDEO_CAPTURE,
            memory: V4L2_MEMORY_MMAP,
            ..Default::default()
        };
        // SAFETY: `request` is a valid v4l2_requestbuffers for the ioctl to read and fill.
        unsafe { sabi::vidioc_reqbufs(self.raw(), &mut request) }
            .map_err(|errno| problem_of_errno(&self.path, StreamStep::RequestBuffers, errno))?;
        if request.count < 2 {
            return Err(PreviewProblem::Failed {
                step: StreamStep::RequestBuffers,
                errno: Errno::ENOMEM,
            });
        }
        for index in 0..request.count {
            let mut buffer = capture_buffer(index);
            // SAFETY: `buffer` is a valid v4l2_buffer with index, type and memory set.
            unsafe { sabi::vidioc_querybuf(self.raw(), &mut buffer) }
                .map_err(|errno| problem_of_errno(&self.path, StreamStep::MapBuffers, errno))?;
            // SAFETY: for MMAP buffers the driver filled the `offset` member of `m`.
            let offset = unsafe { buffer.m.offset };
            let length =
                NonZeroUsize::new(buffer.length as usize).ok_or(PreviewProblem::Failed {
                    step: StreamStep::MapBuffers,
                    errno: Errno::EINVAL,
                })?;
            // SAFETY: a shared read-only mapping of the driver's buffer at the offset
            // it gave; unmapped in `Drop` before the descriptor closes.
            let address = unsafe {
                mmap(
                    None,
                    length,
                    ProtFlags::PROT_READ,
                    MapFlags::MAP_SHARED,
                    self.fd.as_fd(),
                    libc::off_t::from(offset),
                )
            }
            .map_err(|errno| problem_of_errno(&self.path, StreamStep::MapBuffers, errno))?;
            self.buffers.push(Mapped {
                address,
                length: length.get(),
            });
        }
        Ok(())
    }

    fn queue_all(&self) -> Result<(), PreviewProblem> {
        for index in 0..self.buffers.len() {
            self.queue(u32::try_from(index).unwrap_or(u32::MAX))?;
        }
        Ok(())
    }

    fn queue(&self, index: u32) -> Result<(), PreviewProblem> {
        let mut buffer = capture_buffer(index);
        // SAFETY: `buffer` is a valid v4l2_buffer naming one of this stream's buffers.
        unsafe { sabi::vidioc_qbuf(self.raw(), &mut buffer) }
            .map(drop)
            .map_err(|errno| problem_of_errno(&self.path, StreamStep::Capture, errno))
    }
}

impl FrameStream for V4l2Stream {
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn wait(&mut self, timeout: Duration) -> Result<StreamWait, PreviewProblem> {
        let millis = u16::try_from(timeout.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(
            self.fd.as_fd(),
            PollFlags::POLLIN | PollFlags::POLLPRI,
        )];
        match poll(&mut fds, PollTimeout::from(millis)) {
            Ok(0) | Err(Errno::EINTR) => return Ok(StreamWait::Timeout),
            Ok(_) => {}
            Err(errno) => return Err(problem_of_errno(&self.path, StreamStep::Capture, errno)),
        }
        let events = fds[0].revents().unwrap_or(PollFlags::empty());
        if events.contains(PollFlags::POLLPRI) {
            self.device.drain_events();
            return Ok(StreamWait::SourceChanged);
        }
        if events.intersects(PollFlags::POLLIN | PollFlags::POLLERR) {
            // POLLERR shows up as the errno of the next DQBUF.
            return Ok(StreamWait::FrameReady);
        }
        Ok(StreamWait::Timeout)
    }

    fn take_frame(
        &mut self,
        use_frame: &mut dyn FnMut(&SourceFrame<'_>),
    ) -> Result<bool, PreviewProblem> {
        let mut buffer = capture_buffer(0);
        // SAFETY: `buffer` is a valid v4l2_buffer with type and memory set, to be filled.
        match unsafe { sabi::vidioc_dqbuf(self.raw(), &mut buffer) } {
            Ok(_) => {}
            Err(Errno::EAGAIN) => return Ok(false),
            Err(errno) => return Err(problem_of_errno(&self.path, StreamStep::Capture, errno)),
        }
        let Some(mapped) = self.buffers.get(buffer.index as usize) else {
            return Ok(false);
        };
        if buffer.flags & sabi::V4L2_BUF_FLAG_ERROR == 0 {
            let used = match buffer.bytesused as usize {
                0 => mapped.length,
                used => used.min(mapped.length),
            };
            // SAFETY: the mapping is `length` bytes, alive while `self` is; the driver
            // does not write a buffer between DQBUF and the QBUF below.
            let data =
                unsafe { std::slice::from_raw_parts(mapped.address.as_ptr().cast::<u8>(), used) };
            use_frame(&SourceFrame {
                data,
                format: self.format,
                width: self.width,
                height: self.height,
                stride: self.stride,
            });
        }
        self.queue(buffer.index)?;
        Ok(true)
    }
}

impl Drop for V4l2Stream {
    fn drop(&mut self) {
        if self.streaming {
            // SAFETY: `CAPTURE_TYPE` is a valid int the ioctl only reads.
            let _ = unsafe { sabi::vidioc_streamoff(self.raw(), &CAPTURE_TYPE) };
        }
        for mapped in self.buffers.drain(..) {
            // SAFETY: each mapping was made in `map_buffers` with this length and is
            // unmapped once.
            let _ = unsafe { munmap(mapped.address, mapped.length) };
        }
        let mut release = sabi::v4l2_requestbuffers {
            count: 0,
            type_: V4L2_BUF_TYPE_VIDEO_CAPTURE,
            memory: V4L2_MEMORY_MMAP,
            ..Default::default()
        };
        // SAFETY: `release` is a valid v4l2_requestbuffers asking to free the buffers.
        let _ = unsafe { sabi::vidioc_reqbufs(self.raw(), &mut release) };
    }
}

/// A capture, mmap `v4l2_buffer` for `index`.
fn capture_buffer(index: u32) -> v4l2_buffer {
    let mut buffer = abi::zeroed::<v4l2_buffer>();
    buffer.index = index;
    buffer.type_ = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buffer.memory = V4L2_MEMORY_MMAP;
    buffer
}

fn problem_of_open(path: &Path, error: &InputError) -> PreviewProblem {
    let path = path.to_path_buf();
    match error {
        InputError::PermissionDenied { .. } => PreviewProblem::PermissionDenied { path },
        _ => PreviewProblem::DeviceGone { path },
    }
}

/// Applies the timings the receiver detects (`VIDIOC_S_DV_TIMINGS`), so its capture
/// format follows the laptop's resolution, after checking the receiver takes them.
fn apply_detected_timings(
    path: &Path,
    device: &V4l2Device,
    raw: c_int,
) -> Result<(), PreviewProblem> {
    let mut timings: v4l2_dv_timings = device
        .query_dv_timings()
        .map_err(|errno| problem_of_errno(path, StreamStep::SetTimings, errno))?;
    if timings.type_ == abi::V4L2_DV_BT_656_1120 {
        let bt = timings.bt;
        if let Some(mode) = mode_of(&bt) {
            check_resolution(mode, bt.pixelclock, receiver_limits(raw))?;
        }
    }
    // SAFETY: `timings` is a valid v4l2_dv_timings as the driver reported it.
    match unsafe { sabi::vidioc_s_dv_timings(raw, &mut timings) } {
        // Drivers without the ioctl (or with fixed timings) stream what they detect.
        Ok(_) | Err(Errno::ENOTTY | Errno::ENODATA) => Ok(()),
        Err(errno) => Err(problem_of_errno(path, StreamStep::SetTimings, errno)),
    }
}

/// `VIDIOC_DV_TIMINGS_CAP`; `None` when the driver does not say.
fn receiver_limits(raw: c_int) -> Option<ReceiverLimits> {
    let mut cap = abi::zeroed::<sabi::v4l2_dv_timings_cap>();
    // SAFETY: `cap` is a valid, writable v4l2_dv_timings_cap for the ioctl to fill.
    unsafe { sabi::vidioc_dv_timings_cap(raw, &mut cap) }.ok()?;
    let bt = cap.bt;
    Some(ReceiverLimits {
        max_width: bt.max_width,
        max_height: bt.max_height,
        max_pixelclock: bt.max_pixelclock,
    })
}

/// The pixel formats the node offers (`VIDIOC_ENUM_FMT`).
fn offered_formats(raw: c_int) -> Vec<u32> {
    let mut offered = Vec::new();
    // Bounded: a driver that never says "no more" must not hang the preview.
    for index in 0..64 {
        let mut description = abi::zeroed::<sabi::v4l2_fmtdesc>();
        description.index = index;
        description.type_ = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        // SAFETY: `description` is a valid v4l2_fmtdesc with index and type set.
        if unsafe { sabi::vidioc_enum_fmt(raw, &mut description) }.is_err() {
            break;
        }
        offered.push(description.pixelformat);
    }
    offered
}

/// Chooses and sets a convertible pixel format at the detected size; returns the format,
/// size and line stride the driver settled on.
fn set_format(path: &Path, raw: c_int) -> Result<(PixelFormat, u32, u32, usize), PreviewProblem> {
    let mut format = abi::zeroed::<v4l2_format>();
    format.type_ = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    // SAFETY: `format` is a valid v4l2_format with its type set, for the ioctl to fill.
    unsafe { sabi::vidioc_g_fmt(raw, &mut format) }
        .map_err(|errno| problem_of_errno(path, StreamStep::SetFormat, errno))?;
    // SAFETY: for a single-planar capture type the driver filled `pix`.
    let mut pix = unsafe { format.fmt.pix };
    let chosen = choose_format(pix.pixelformat, &offered_formats(raw))
        .map_err(|offered| PreviewProblem::UnsupportedFormat { offered })?;
    if pix.pixelformat != chosen.fourcc() {
        pix.pixelformat = chosen.fourcc();
        pix.bytesperline = 0;
        pix.sizeimage = 0;
    }
    format.fmt.pix = pix;
    // SAFETY: `format` is a valid v4l2_format for the ioctl to read and update.
    unsafe { sabi::vidioc_s_fmt(raw, &mut format) }
        .map_err(|errno| problem_of_errno(path, StreamStep::SetFormat, errno))?;
    // SAFETY: as above, `pix` is the member in use.
    let pix = unsafe { format.fmt.pix };
    let settled = PixelFormat::from_fourcc(pix.pixelformat).ok_or_else(|| {
        PreviewProblem::UnsupportedFormat {
            offered: vec![crate::content::preview::pixel::fourcc_name(pix.pixelformat)],
        }
    })?;
    let line = pix.width as usize * settled.bytes_per_pixel();
    Ok((
        settled,
        pix.width,
        pix.height,
        (pix.bytesperline as usize).max(line),
    ))
}
