//! The few pieces of the kernel's V4L2 ABI (`linux/videodev2.h`, `linux/v4l2-controls.h`)
//! that input detection needs: structs laid out as on 64-bit Linux, constants, ioctls.

#![allow(non_camel_case_types)]

use nix::libc::c_int;

/// `'V'`, the V4L2 ioctl type (of `stream_abi`'s ioctls too).
pub(super) const V4L2_IOCTL_TYPE: u8 = b'V';

pub(crate) const V4L2_CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;
pub(crate) const V4L2_CAP_STREAMING: u32 = 0x0400_0000;
pub(crate) const V4L2_CAP_DEVICE_CAPS: u32 = 0x8000_0000;

/// `v4l2_input.capabilities`: the input is set up with DV timings (HDMI, DVI, DP …).
pub(crate) const V4L2_IN_CAP_DV_TIMINGS: u32 = 0x0000_0002;

/// `v4l2_dv_timings.type`: BT.656/1120 timings, the only kind defined.
pub(crate) const V4L2_DV_BT_656_1120: u32 = 0;

pub(crate) const V4L2_EVENT_SOURCE_CHANGE: u32 = 5;
/// Send the current state as an event right after subscribing.
pub(crate) const V4L2_EVENT_SUB_FL_SEND_INITIAL: u32 = 1 << 0;

/// `V4L2_CTRL_CLASS_DV | 0x900`.
const V4L2_CID_DV_CLASS_BASE: u32 = 0x00a0_0900;
/// Bitmask, one bit per receiver port: the source supplies +5 V.
pub(crate) const V4L2_CID_DV_RX_POWER_PRESENT: u32 = V4L2_CID_DV_CLASS_BASE + 100;

/// `struct v4l2_fract`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct v4l2_fract {
    pub numerator: u32,
    pub denominator: u32,
}

/// `struct v4l2_bt_timings` (packed, 124 bytes).
#[repr(C, packed)]
#[derive(Debug, Clone, Copy)]
pub struct v4l2_bt_timings {
    pub width: u32,
    pub height: u32,
    pub interlaced: u32,
    pub polarities: u32,
    pub pixelclock: u64,
    pub hfrontporch: u32,
    pub hsync: u32,
    pub hbackporch: u32,
    pub vfrontporch: u32,
    pub vsync: u32,
    pub vbackporch: u32,
    pub il_vfrontporch: u32,
    pub il_vsync: u32,
    pub il_vbackporch: u32,
    pub standards: u32,
    pub flags: u32,
    pub picture_aspect: v4l2_fract,
    pub cea861_vic: u8,
    pub hdmi_vic: u8,
    pub reserved: [u8; 46],
}

/// `struct v4l2_dv_timings` (packed, 132 bytes). The kernel's anonymous union of `bt`
/// and `__u32 reserved[32]` is 128 bytes: `bt` plus the 4 bytes `bt` leaves over.
#[repr(C, packed)]
#[derive(Debug, Clone, Copy)]
pub struct v4l2_dv_timings {
    pub type_: u32,
    pub bt: v4l2_bt_timings,
    pub union_tail: [u8; 4],
}

/// `struct v4l2_event_subscription` (32 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct v4l2_event_subscription {
    pub type_: u32,
    pub id: u32,
    pub flags: u32,
    pub reserved: [u32; 5],
}

/// `struct v4l2_event` (136 bytes on 64-bit: the union holds an `__s64`, so it is
/// 8-aligned, and `timestamp` is a 16-byte `struct timespec`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_event {
    pub type_: u32,
    pub u: [u64; 8],
    pub pending: u32,
    pub sequence: u32,
    pub timestamp: [i64; 2],
    pub id: u32,
    pub reserved: [u32; 8],
}

/// `struct v4l2_control` (8 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct v4l2_control {
    pub id: u32,
    pub value: i32,
}

/// `struct v4l2_capability` (104 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_capability {
    pub driver: [u8; 16],
    pub card: [u8; 32],
    pub bus_info: [u8; 32],
    pub version: u32,
    pub capabilities: u32,
    pub device_caps: u32,
    pub reserved: [u32; 3],
}

/// `struct v4l2_input` (80 bytes: `std` is a 64-bit field).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct v4l2_input {
    pub index: u32,
    pub name: [u8; 32],
    pub type_: u32,
    pub audioset: u32,
    pub tuner: u32,
    pub std: u64,
    pub status: u32,
    pub capabilities: u32,
    pub reserved: [u32; 3],
}

// The kernel checks these sizes through the ioctl numbers; a wrong layout must not build.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<v4l2_bt_timings>() == 124);
    assert!(size_of::<v4l2_dv_timings>() == 132);
    assert!(size_of::<v4l2_event_subscription>() == 32);
    assert!(size_of::<v4l2_event>() == 136);
    assert!(size_of::<v4l2_control>() == 8);
    assert!(size_of::<v4l2_capability>() == 104);
    assert!(size_of::<v4l2_input>() == 80);
};
#[cfg(not(target_pointer_width = "64"))]
compile_error!("the V4L2 structs here are laid out for 64-bit Linux only");

/// A value of one of the plain-integer structs above with every byte zero.
pub fn zeroed<T: PlainKernelStruct>() -> T {
    // SAFETY: `PlainKernelStruct` is only implemented for the structs above, made of
    // integers and integer arrays, for which all-zero bytes are a valid value.
    unsafe { std::mem::zeroed() }
}

/// Marks the structs above as plain integers (valid when zeroed).
pub trait PlainKernelStruct {}
impl PlainKernelStruct for v4l2_dv_timings {}
impl PlainKernelStruct for v4l2_event {}
impl PlainKernelStruct for v4l2_capability {}
impl PlainKernelStruct for v4l2_input {}

nix::ioctl_read!(vidioc_querycap, V4L2_IOCTL_TYPE, 0, v4l2_capability);
nix::ioctl_readwrite!(vidioc_enuminput, V4L2_IOCTL_TYPE, 26, v4l2_input);
nix::ioctl_readwrite!(vidioc_g_ctrl, V4L2_IOCTL_TYPE, 27, v4l2_control);
nix::ioctl_read!(vidioc_g_input, V4L2_IOCTL_TYPE, 38, c_int);
nix::ioctl_read!(vidioc_dqevent, V4L2_IOCTL_TYPE, 89, v4l2_event);
nix::ioctl_write_ptr!(
    vidioc_subscribe_event,
    V4L2_IOCTL_TYPE,
    90,
    v4l2_event_subscription
);
nix::ioctl_read!(
    vidioc_query_dv_timings,
    V4L2_IOCTL_TYPE,
    99,
    v4l2_dv_timings
);

/// Turns a NUL-padded kernel string into text.
pub(crate) fn kernel_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_sizes_match_the_64_bit_kernel_abi() {
        assert_eq!(size_of::<v4l2_bt_timings>(), 124);
        assert_eq!(size_of::<v4l2_dv_timings>(), 132);
        assert_eq!(size_of::<v4l2_event_subscription>(), 32);
        assert_eq!(size_of::<v4l2_event>(), 136);
        assert_eq!(size_of::<v4l2_control>(), 8);
        assert_eq!(size_of::<v4l2_capability>(), 104);
        assert_eq!(size_of::<v4l2_input>(), 80);
        assert_eq!(std::mem::offset_of!(v4l2_event, u), 8);
        assert_eq!(std::mem::offset_of!(v4l2_event, timestamp), 80);
        assert_eq!(std::mem::offset_of!(v4l2_input, std), 48);
        assert_eq!(std::mem::offset_of!(v4l2_bt_timings, pixelclock), 16);
        assert_eq!(std::mem::offset_of!(v4l2_bt_timings, cea861_vic), 76);
    }

    #[test]
    fn ioctl_numbers_match_videodev2_h() {
        use nix::sys::ioctl::ioctl_num_type as Num;
        let read = |nr, size| nix::request_code_read!(V4L2_IOCTL_TYPE, nr, size) as Num;
        let write = |nr, size| nix::request_code_write!(V4L2_IOCTL_TYPE, nr, size) as Num;
        let readwrite = |nr, size| nix::request_code_readwrite!(V4L2_IOCTL_TYPE, nr, size) as Num;
        // The values `strace` shows for these ioctls on x86_64 and aarch64.
        assert_eq!(read(0, size_of::<v4l2_capability>()), 0x8068_5600 as Num);
        assert_eq!(readwrite(26, size_of::<v4l2_input>()), 0xc050_561a as Num);
        assert_eq!(readwrite(27, size_of::<v4l2_control>()), 0xc008_561b as Num);
        assert_eq!(read(89, size_of::<v4l2_event>()), 0x8088_5659 as Num);
        assert_eq!(
            write(90, size_of::<v4l2_event_subscription>()),
            0x4020_565a as Num
        );
        assert_eq!(read(99, size_of::<v4l2_dv_timings>()), 0x8084_5663 as Num);
    }

    #[test]
    fn kernel_strings_stop_at_the_first_nul() {
        let mut card = [0u8; 32];
        card[..8].copy_from_slice(b"tc358743");
        assert_eq!(kernel_string(&card), "tc358743");
        assert_eq!(kernel_string(b"full"), "full");
    }
}
