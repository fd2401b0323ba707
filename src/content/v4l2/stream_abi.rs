//! The streaming part of the kernel's V4L2 ABI (`linux/videodev2.h`) that the live
//! preview needs: formats, mmap buffers, stream on/off, and the receiver's timing limits.
//! Laid out as on 64-bit Linux, like [`super::abi`].

#![allow(non_camel_case_types)]

use nix::libc::{c_int, c_ulong, timeval};

use super::abi::{PlainKernelStruct, V4L2_IOCTL_TYPE, v4l2_dv_timings};

pub(crate) const V4L2_BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
pub(crate) const V4L2_MEMORY_MMAP: u32 = 1;
/// `v4l2_buffer.flags`: the driver marks a frame it knows is damaged.
pub(crate) const V4L2_BUF_FLAG_ERROR: u32 = 0x0000_0040;
/// A capture node with multi-planar buffers (the preview takes single-planar ones).
pub(crate) const V4L2_CAP_VIDEO_CAPTURE_MPLANE: u32 = 0x0000_1000;

/// `struct v4l2_pix_format` (48 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct v4l2_pix_format {
    pub width: u32,
    pub height: u32,
    pub pixelformat: u32,
    pub field: u32,
    pub bytesperline: u32,
    pub sizeimage: u32,
    pub colorspace: u32,
    pub priv_: u32,
    pub flags: u32,
    pub ycbcr_enc: u32,
    pub quantization: u32,
    pub xfer_func: u32,
}

/// The union in `struct v4l2_format`: 200 bytes, pointer-aligned (one member holds
/// pointers).
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) union v4l2_format_fmt {
    pub pix: v4l2_pix_format,
    pub raw_data: [u8; 200],
    _align: [c_ulong; 0],
}

/// `struct v4l2_format` (208 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct v4l2_format {
    pub type_: u32,
    pub fmt: v4l2_format_fmt,
}

/// `struct v4l2_fmtdesc` (64 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_fmtdesc {
    pub index: u32,
    pub type_: u32,
    pub flags: u32,
    pub description: [u8; 32],
    pub pixelformat: u32,
    pub mbus_code: u32,
    pub reserved: [u32; 3],
}

/// `struct v4l2_requestbuffers` (20 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct v4l2_requestbuffers {
    pub count: u32,
    pub type_: u32,
    pub memory: u32,
    pub capabilities: u32,
    pub flags: u8,
    pub reserved: [u8; 3],
}

/// `struct v4l2_timecode` (16 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct v4l2_timecode {
    pub type_: u32,
    pub flags: u32,
    pub frames: u8,
    pub seconds: u8,
    pub minutes: u8,
    pub hours: u8,
    pub userbits: [u8; 4],
}

/// The union `m` in `struct v4l2_buffer`: where the buffer is, by memory type.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) union v4l2_buffer_m {
    /// For `V4L2_MEMORY_MMAP`: the offset to give `mmap`.
    pub offset: u32,
    pub userptr: c_ulong,
    pub fd: i32,
}

/// `struct v4l2_buffer` (88 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct v4l2_buffer {
    pub index: u32,
    pub type_: u32,
    pub bytesused: u32,
    pub flags: u32,
    pub field: u32,
    pub timestamp: timeval,
    pub timecode: v4l2_timecode,
    pub sequence: u32,
    pub memory: u32,
    pub m: v4l2_buffer_m,
    pub length: u32,
    pub reserved2: u32,
    pub request_fd: i32,
}

/// `struct v4l2_bt_timings_cap` (packed, 104 bytes): what a receiver can take.
#[repr(C, packed)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_bt_timings_cap {
    pub min_width: u32,
    pub max_width: u32,
    pub min_height: u32,
    pub max_height: u32,
    pub min_pixelclock: u64,
    pub max_pixelclock: u64,
    pub standards: u32,
    pub capabilities: u32,
    pub reserved: [u32; 16],
}

/// `struct v4l2_dv_timings_cap` (144 bytes): `bt` plus the rest of its 128-byte union.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_dv_timings_cap {
    pub type_: u32,
    pub pad: u32,
    pub reserved: [u32; 2],
    pub bt: v4l2_bt_timings_cap,
    pub union_tail: [u32; 6],
}

// The kernel checks these sizes through the ioctl numbers; a wrong layout must not build.
const _: () = {
    assert!(size_of::<v4l2_pix_format>() == 48);
    assert!(size_of::<v4l2_format>() == 208);
    assert!(size_of::<v4l2_fmtdesc>() == 64);
    assert!(size_of::<v4l2_requestbuffers>() == 20);
    assert!(size_of::<v4l2_buffer>() == 88);
    assert!(size_of::<v4l2_dv_timings_cap>() == 144);
};

impl PlainKernelStruct for v4l2_format {}
impl PlainKernelStruct for v4l2_fmtdesc {}
impl PlainKernelStruct for v4l2_requestbuffers {}
impl PlainKernelStruct for v4l2_buffer {}
impl PlainKernelStruct for v4l2_dv_timings_cap {}

nix::ioctl_readwrite!(vidioc_enum_fmt, V4L2_IOCTL_TYPE, 2, v4l2_fmtdesc);
nix::ioctl_readwrite!(vidioc_g_fmt, V4L2_IOCTL_TYPE, 4, v4l2_format);
nix::ioctl_readwrite!(vidioc_s_fmt, V4L2_IOCTL_TYPE, 5, v4l2_format);
nix::ioctl_readwrite!(vidioc_reqbufs, V4L2_IOCTL_TYPE, 8, v4l2_requestbuffers);
nix::ioctl_readwrite!(vidioc_querybuf, V4L2_IOCTL_TYPE, 9, v4l2_buffer);
nix::ioctl_readwrite!(vidioc_qbuf, V4L2_IOCTL_TYPE, 15, v4l2_buffer);
nix::ioctl_readwrite!(vidioc_dqbuf, V4L2_IOCTL_TYPE, 17, v4l2_buffer);
nix::ioctl_write_ptr!(vidioc_streamon, V4L2_IOCTL_TYPE, 18, c_int);
nix::ioctl_write_ptr!(vidioc_streamoff, V4L2_IOCTL_TYPE, 19, c_int);
nix::ioctl_readwrite!(vidioc_s_dv_timings, V4L2_IOCTL_TYPE, 87, v4l2_dv_timings);
nix::ioctl_readwrite!(
    vidioc_dv_timings_cap,
    V4L2_IOCTL_TYPE,
    100,
    v4l2_dv_timings_cap
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_64_bit_kernel_abi() {
        assert_eq!(std::mem::offset_of!(v4l2_format, fmt), 8);
        assert_eq!(std::mem::offset_of!(v4l2_buffer, timestamp), 24);
        assert_eq!(std::mem::offset_of!(v4l2_buffer, sequence), 56);
        assert_eq!(std::mem::offset_of!(v4l2_buffer, m), 64);
        assert_eq!(std::mem::offset_of!(v4l2_buffer, length), 72);
        assert_eq!(std::mem::offset_of!(v4l2_fmtdesc, pixelformat), 44);
        assert_eq!(std::mem::offset_of!(v4l2_dv_timings_cap, bt), 16);
        assert_eq!(
            std::mem::offset_of!(v4l2_bt_timings_cap, max_pixelclock),
            24
        );
    }

    #[test]
    fn ioctl_numbers_match_videodev2_h() {
        use nix::sys::ioctl::ioctl_num_type as Num;
        let readwrite = |nr, size| nix::request_code_readwrite!(V4L2_IOCTL_TYPE, nr, size) as Num;
        let write = |nr, size| nix::request_code_write!(V4L2_IOCTL_TYPE, nr, size) as Num;
        // The values `strace` shows for these ioctls on x86_64 and aarch64.
        assert_eq!(readwrite(2, size_of::<v4l2_fmtdesc>()), 0xc040_5602 as Num);
        assert_eq!(readwrite(4, size_of::<v4l2_format>()), 0xc0d0_5604 as Num);
        assert_eq!(readwrite(5, size_of::<v4l2_format>()), 0xc0d0_5605 as Num);
        assert_eq!(
            readwrite(8, size_of::<v4l2_requestbuffers>()),
            0xc014_5608 as Num
        );
        assert_eq!(readwrite(9, size_of::<v4l2_buffer>()), 0xc058_5609 as Num);
        assert_eq!(readwrite(15, size_of::<v4l2_buffer>()), 0xc058_560f as Num);
        assert_eq!(readwrite(17, size_of::<v4l2_buffer>()), 0xc058_5611 as Num);
        assert_eq!(write(18, size_of::<c_int>()), 0x4004_5612 as Num);
        assert_eq!(write(19, size_of::<c_int>()), 0x4004_5613 as Num);
        assert_eq!(
            readwrite(87, size_of::<v4l2_dv_timings>()),
            0xc084_5657 as Num
        );
        assert_eq!(
            readwrite(100, size_of::<v4l2_dv_timings_cap>()),
            0xc090_5664 as Num
        );
    }
}
