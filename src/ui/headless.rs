//! A headless Slint platform: the software renderer drawing into a pixel buffer, with a
//! time that only moves when told. It serves `room-console screenshot`, the UI tests
//! (tap by position, read state back) and the rendering benchmarks.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Context, Result};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, PointerEventButton, WindowAdapter, WindowEvent};
use slint::{LogicalPosition, PhysicalSize, PlatformError, Rgb8Pixel, SharedPixelBuffer};

/// The logical size the screens are designed for; larger panels are scaled up.
pub(crate) const DESIGN_WIDTH: f32 = 1280.0;
/// See [`DESIGN_WIDTH`].
pub(crate) const DESIGN_HEIGHT: f32 = 800.0;

/// The scale factor that makes a `width`x`height` panel show the design at its size.
pub(crate) fn scale_for(size: PhysicalSize) -> f32 {
    let by_width = size.width as f32 / DESIGN_WIDTH;
    let by_height = size.height as f32 / DESIGN_HEIGHT;
    by_width.min(by_height).max(1.0)
}

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
    elapsed: Rc<Cell<Duration>>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.elapsed.get()
    }
}

/// A window with no display: components created after [`Headless::install`] on this
/// thread are shown in it.
pub struct Headless {
    window: Rc<MinimalSoftwareWindow>,
    elapsed: Rc<Cell<Duration>>,
    size: PhysicalSize,
    /// The frame buffer, kept between frames so only what changed is redrawn, as on the
    /// device's display.
    frame: RefCell<SharedPixelBuffer<Rgb8Pixel>>,
}

impl Headless {
    /// Installs the headless platform on this thread with a panel of `size` pixels.
    /// Slint allows one platform per thread: call it once, before creating components.
    pub fn install(size: PhysicalSize) -> Result<Headless> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
        let elapsed = Rc::new(Cell::new(Duration::ZERO));
        slint::platform::set_platform(Box::new(HeadlessPlatform {
            window: window.clone(),
            elapsed: elapsed.clone(),
        }))
        .map_err(|e| anyhow::anyhow!("cannot install the headless renderer: {e}"))?;
        window.dispatch_event(WindowEvent::ScaleFactorChanged {
            scale_factor: scale_for(size),
        });
        window.set_size(size);
        Ok(Headless {
            window,
            elapsed,
            size,
            frame: RefCell::new(SharedPixelBuffer::new(size.width, size.height)),
        })
    }

    /// The Slint window, for dispatching events.
    pub fn window(&self) -> &slint::Window {
        self.window.window()
    }

    /// Moves the platform's time forward and runs the timers and animations due.
    pub fn advance(&self, by: Duration) {
        self.elapsed.set(self.elapsed.get() + by);
        slint::platform::update_timers_and_animations();
    }

    /// Redraws what changed since the last frame and returns the whole frame.
    pub fn render(&self) -> SharedPixelBuffer<Rgb8Pixel> {
        self.render_changes();
        self.frame.borrow().clone()
    }

    /// Redraws what changed since the last frame; returns how many pixels were redrawn.
    pub fn render_changes(&self) -> u64 {
        slint::platform::update_timers_and_animations();
        let stride = self.size.width as usize;
        let mut frame = self.frame.borrow_mut();
        let mut redrawn = 0;
        self.window.draw_if_needed(|renderer| {
            let region = renderer.render(frame.make_mut_slice(), stride);
            redrawn = region
                .iter()
                .map(|(_, size)| u64::from(size.width) * u64::from(size.height))
                .sum();
        });
        redrawn
    }

    /// Taps (press and release) at a logical position, as a finger would.
    pub fn tap(&self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        let button = PointerEventButton::Left;
        self.window
            .dispatch_event(WindowEvent::PointerMoved { position });
        self.window
            .dispatch_event(WindowEvent::PointerPressed { position, button });
        self.window
            .dispatch_event(WindowEvent::PointerReleased { position, button });
        self.window.dispatch_event(WindowEvent::PointerExited);
        slint::platform::update_timers_and_animations();
    }
}

/// Writes an RGB buffer as a PNG file, atomically (a partial file never has the name).
pub fn write_png(buffer: &SharedPixelBuffer<Rgb8Pixel>, path: &Path) -> Result<()> {
    let tmp = path.with_extension("png.tmp");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        buffer.width(),
        buffer.height(),
    );
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // A screen is mostly flat areas: the "Up" filter compresses them about as well as
    // trying every filter on every row (the adaptive default), for a fraction of the work.
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder
        .write_header()
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    writer
        .write_image_data(buffer.as_bytes())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    writer
        .finish()
        .with_context(|| format!("cannot finish {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot move the screenshot to {}", path.display()))?;
    Ok(())
}
