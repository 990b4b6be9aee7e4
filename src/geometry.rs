//! The popup's size and position: the `features` string handed to `window.open`.
//!
//! The reference sizes the popup from the screen (30% of its width, 75% of its height) and
//! positions it from the app's window, but it can land partly off-screen (a small screen, a
//! window dragged half out of view, a second monitor at negative coordinates). Here the popup
//! is centred on the app's window and then pulled back inside the available screen area.
//! Positions and sizes the app asks for explicitly are written as given, as the reference
//! writes them (`String(parseFloat(value))`): `left: 20.5` is `left=20.5`.
//!
//! Also home to [`push_decimal`], writing an integer without `core::fmt` (which would cost
//! kilobytes of wasm). Reading and writing the app's numbers is left to the browser: the
//! bindings read each `windowOptions` entry with JS `parseFloat`, and its text with `String`.

/// The browser's `window.screen`, in CSS pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Screen {
    /// `screen.width`.
    pub width: f64,
    /// `screen.height`.
    pub height: f64,
    /// `screen.availLeft`: the left edge of the area not taken by OS bars (0 where unsupported).
    pub avail_left: f64,
    /// `screen.availTop`: the top edge of that area (0 where unsupported).
    pub avail_top: f64,
    /// `screen.availWidth`.
    pub avail_width: f64,
    /// `screen.availHeight`.
    pub avail_height: f64,
}

/// The app's browser window: `window.screenX`, `screenY`, `outerWidth`, `outerHeight`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AppWindow {
    /// `window.screenX`: the window's left edge on the (virtual) screen.
    pub screen_x: f64,
    /// `window.screenY`: the window's top edge.
    pub screen_y: f64,
    /// `window.outerWidth`.
    pub outer_width: f64,
    /// `window.outerHeight`.
    pub outer_height: f64,
}

/// The app's `windowOptions`, each already read with JS `parseFloat`; `None` when the option
/// is absent or not a finite number.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WindowOptions {
    /// Explicit distance of the popup's top edge from the top of the screen.
    pub top: Option<f64>,
    /// Explicit distance of the popup's left edge from the left of the screen.
    pub left: Option<f64>,
    /// Explicit popup width (raised to at least [`MIN_SIZE`]).
    pub width: Option<f64>,
    /// Explicit popup height (raised to at least [`MIN_SIZE`]).
    pub height: Option<f64>,
}

/// One number of the features: the app's, written as it gave it, or one computed here,
/// written in whole pixels.
#[derive(Clone, Copy)]
enum Dimension {
    Given(f64),
    Computed(f64),
}

impl Dimension {
    fn value(self) -> f64 {
        match self {
            Dimension::Given(value) | Dimension::Computed(value) => value,
        }
    }

    fn write(self, out: &mut String, write_given: &impl Fn(f64, &mut String)) {
        match self {
            Dimension::Given(value) => write_given(value, out),
            Dimension::Computed(value) => push_decimal(out, round_to_int(value)),
        }
    }
}

/// The smallest popup width or height written, as in the reference.
pub const MIN_SIZE: f64 = 100.0;

/// The `window.open` features for the Connect popup: `top=<t>,left=<l>,width=<w>,height=<h>,`,
/// the app's numbers as it gave them (each written by `write_given`: JS `String(number)`, as the
/// reference writes them), the computed ones in whole pixels.
///
/// Explicit sizes below [`MIN_SIZE`] become [`MIN_SIZE`]; the default size is 30% × 75% of
/// the screen, capped to the available screen and never below [`MIN_SIZE`]. Without an
/// explicit position the popup is centred on the app's window and kept inside the available
/// screen area. Non-finite screen and window values (from odd environments) are treated as
/// absent.
pub fn popup_features(options: &WindowOptions, screen: &Screen, window: &AppWindow, write_given: impl Fn(f64, &mut String)) -> String {
    let screen_w = size_or_zero(screen.width);
    let screen_h = size_or_zero(screen.height);
    // Where availWidth/availHeight are missing or nonsense, the whole screen is available.
    let avail_w = nonzero_or(size_or_zero(screen.avail_width), screen_w);
    let avail_h = nonzero_or(size_or_zero(screen.avail_height), screen_h);
    let avail_left = finite_or(screen.avail_left, 0.0);
    let avail_top = finite_or(screen.avail_top, 0.0);

    let width = popup_size(options.width, screen_w * 0.3, avail_w);
    let height = popup_size(options.height, screen_h * 0.75, avail_h);

    let left = popup_position(
        options.left,
        window.screen_x,
        window.outer_width,
        width.value(),
        avail_left,
        avail_w,
    );
    let top = popup_position(
        options.top,
        window.screen_y,
        window.outer_height,
        height.value(),
        avail_top,
        avail_h,
    );

    let mut out = String::with_capacity(48);
    out.push_str("top=");
    top.write(&mut out, &write_given);
    out.push_str(",left=");
    left.write(&mut out, &write_given);
    out.push_str(",width=");
    width.write(&mut out, &write_given);
    out.push_str(",height=");
    height.write(&mut out, &write_given);
    // The reference's format ends with a comma too (`window.open` ignores the empty feature);
    // tests written for it match the string whole.
    out.push(',');
    out
}

/// One dimension of the popup: the explicit value (at least [`MIN_SIZE`]), or `default`
/// capped to `available` (when known) and then raised to [`MIN_SIZE`].
fn popup_size(explicit: Option<f64>, default: f64, available: f64) -> Dimension {
    if let Some(size) = explicit {
        return if size < MIN_SIZE { Dimension::Computed(MIN_SIZE) } else { Dimension::Given(size) };
    }
    let mut size = default;
    if available > 0.0 && size > available {
        size = available;
    }
    Dimension::Computed(size.max(MIN_SIZE))
}

/// One coordinate of the popup: the explicit value as given, or centred on the app's window
/// (on the available area when the window's geometry is unusable) and clamped into
/// `avail_start .. avail_start + avail_len`.
fn popup_position(
    explicit: Option<f64>,
    window_start: f64,
    window_len: f64,
    size: f64,
    avail_start: f64,
    avail_len: f64,
) -> Dimension {
    if let Some(pos) = explicit {
        return Dimension::Given(pos);
    }
    let window_len = size_or_zero(window_len);
    let mut pos = if window_len > 0.0 && window_start.is_finite() {
        window_start + (window_len - size) / 2.0
    } else {
        // Not below the area's start even when its size is unknown (0).
        avail_start + ((avail_len - size) / 2.0).max(0.0)
    };
    if avail_len > 0.0 {
        // Far edge first, then near edge: a popup larger than the area keeps its top-left
        // corner (and so its title bar and close button) visible.
        let last = avail_start + avail_len - size;
        if pos > last {
            pos = last;
        }
        if pos < avail_start {
            pos = avail_start;
        }
    }
    Dimension::Computed(pos)
}

/// `value` when it is a finite number, else `default`.
fn finite_or(value: f64, default: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        default
    }
}

/// `value` when it is a usable size (finite and positive), else 0.
fn size_or_zero(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}

/// `value` unless it is 0, then `fallback`.
fn nonzero_or(value: f64, fallback: f64) -> f64 {
    if value > 0.0 {
        value
    } else {
        fallback
    }
}

/// Rounds half away from zero to an integer; NaN gives 0 and out-of-range values saturate.
///
/// Written by hand because `f64::round` is a libm call on wasm, while `trunc` is one
/// instruction; the difference `value - trunc(value)` is exact, so no `x + 0.5` error.
pub fn round_to_int(value: f64) -> i64 {
    let t = value.trunc();
    let r = if value - t >= 0.5 {
        t + 1.0
    } else if t - value >= 0.5 {
        t - 1.0
    } else {
        t
    };
    // `as` saturates and maps NaN to 0: no panic, no undefined behaviour.
    r as i64
}

/// Appends the decimal digits of `n` to `out` (with a leading `-` when negative).
pub fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    // unsigned_abs handles i64::MIN without overflow.
    let mut rest = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut len = 0usize;
    for slot in digits.iter_mut() {
        *slot = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::float_cmp)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const SCREEN_1080: Screen = Screen {
        width: 1920.0,
        height: 1080.0,
        avail_left: 0.0,
        avail_top: 0.0,
        avail_width: 1920.0,
        avail_height: 1040.0,
    };

    /// The features, the app's numbers written as Rust writes them (as JS does, for these).
    fn features(o: WindowOptions, s: Screen, w: AppWindow) -> String {
        popup_features(&o, &s, &w, |value, out| out.push_str(&format!("{value}")))
    }

    fn given(value: f64) -> Option<f64> {
        Some(value)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn decimal_writing() {
        for (n, s) in [
            (0i64, "0"),
            (7, "7"),
            (10, "10"),
            (-42, "-42"),
            (1_234_567_890, "1234567890"),
            (i64::MAX, "9223372036854775807"),
            (i64::MIN, "-9223372036854775808"),
        ] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{s}"));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_to_int(2.5), 3);
        assert_eq!(round_to_int(-2.5), -3);
        assert_eq!(round_to_int(2.4999), 2);
        assert_eq!(round_to_int(0.49999999999999994), 0);
        assert_eq!(round_to_int(-0.4), 0);
        assert_eq!(round_to_int(f64::NAN), 0);
        assert_eq!(round_to_int(f64::INFINITY), i64::MAX);
        assert_eq!(round_to_int(f64::NEG_INFINITY), i64::MIN);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn default_popup_is_centred_on_the_window() {
        let w = AppWindow {
            screen_x: 100.0,
            screen_y: 50.0,
            outer_width: 1200.0,
            outer_height: 900.0,
        };
        // width 576, height 810 (75% of 1080, within 1040 available).
        // left = 100 + (1200 - 576) / 2 = 412; top = 50 + (900 - 810) / 2 = 95.
        assert_eq!(
            features(WindowOptions::default(), SCREEN_1080, w),
            "top=95,left=412,width=576,height=810,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn popup_is_clamped_into_the_available_screen() {
        // Window hanging off the right and bottom edges.
        let w = AppWindow {
            screen_x: 1700.0,
            screen_y: 900.0,
            outer_width: 800.0,
            outer_height: 600.0,
        };
        assert_eq!(
            features(WindowOptions::default(), SCREEN_1080, w),
            "top=230,left=1344,width=576,height=810,"
        );
        // Window hanging off the left and top edges.
        let w = AppWindow {
            screen_x: -700.0,
            screen_y: -400.0,
            outer_width: 800.0,
            outer_height: 600.0,
        };
        assert_eq!(
            features(WindowOptions::default(), SCREEN_1080, w),
            "top=0,left=0,width=576,height=810,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn small_screen_caps_the_default_size() {
        // A screen whose taskbar leaves less than 75% of its height available.
        let s = Screen {
            width: 400.0,
            height: 300.0,
            avail_left: 0.0,
            avail_top: 20.0,
            avail_width: 400.0,
            avail_height: 200.0,
        };
        let w = AppWindow {
            screen_x: 0.0,
            screen_y: 20.0,
            outer_width: 400.0,
            outer_height: 200.0,
        };
        // width 30% of 400 = 120; height 225 capped to 200.
        assert_eq!(
            features(WindowOptions::default(), s, w),
            "top=20,left=140,width=120,height=200,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn multi_monitor_negative_coordinates() {
        // A secondary monitor left of the primary one.
        let s = Screen {
            width: 1280.0,
            height: 1024.0,
            avail_left: -1280.0,
            avail_top: 0.0,
            avail_width: 1280.0,
            avail_height: 1024.0,
        };
        let w = AppWindow {
            screen_x: -1280.0,
            screen_y: 0.0,
            outer_width: 1280.0,
            outer_height: 1024.0,
        };
        // width 384, height 768; left = -1280 + 448 = -832; top = 128.
        assert_eq!(
            features(WindowOptions::default(), s, w),
            "top=128,left=-832,width=384,height=768,"
        );
        // The window straddles both monitors, off the secondary's right edge.
        let w = AppWindow {
            screen_x: -300.0,
            screen_y: 0.0,
            outer_width: 1000.0,
            outer_height: 1024.0,
        };
        assert_eq!(
            features(WindowOptions::default(), s, w),
            "top=128,left=-384,width=384,height=768,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn explicit_values_are_written_as_given() {
        let o = WindowOptions {
            top: given(-50.0),
            left: given(5000.0),
            width: given(640.4),
            height: given(480.5),
        };
        assert_eq!(
            features(o, SCREEN_1080, AppWindow::default()),
            "top=-50,left=5000,width=640.4,height=480.5,"
        );
        // The app's numbers are written by the caller's writer (JS `String(number)`), the
        // computed ones here.
        let o = WindowOptions { top: given(1e21), left: given(-0.0), ..WindowOptions::default() };
        let js = |value: f64, out: &mut String| out.push_str(if value == 1e21 { "1e+21" } else { "0" });
        assert_eq!(popup_features(&o, &SCREEN_1080, &AppWindow::default(), js), "top=1e+21,left=0,width=576,height=810,");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn explicit_sizes_below_100_become_100() {
        let o = WindowOptions {
            width: given(50.0),
            height: given(-3.0),
            ..WindowOptions::default()
        };
        let w = AppWindow {
            screen_x: 0.0,
            screen_y: 0.0,
            outer_width: 1000.0,
            outer_height: 1000.0,
        };
        assert_eq!(
            features(o, SCREEN_1080, w),
            "top=450,left=450,width=100,height=100,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn explicit_size_centres_and_clamps_unless_position_given() {
        let o = WindowOptions {
            width: given(3000.0),
            left: None,
            top: given(10.0),
            height: None,
        };
        let w = AppWindow {
            screen_x: 0.0,
            screen_y: 0.0,
            outer_width: 1920.0,
            outer_height: 1040.0,
        };
        // Wider than the screen: kept at the left edge so the title bar stays reachable.
        assert_eq!(
            features(o, SCREEN_1080, w),
            "top=10,left=0,width=3000,height=810,"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn degenerate_environments_give_sane_numbers() {
        let zero = Screen::default();
        assert_eq!(
            features(WindowOptions::default(), zero, AppWindow::default()),
            "top=0,left=0,width=100,height=100,"
        );
        let nan = Screen {
            width: f64::NAN,
            height: f64::INFINITY,
            avail_left: f64::NAN,
            avail_top: f64::NEG_INFINITY,
            avail_width: -5.0,
            avail_height: f64::NAN,
        };
        let w = AppWindow {
            screen_x: f64::NAN,
            screen_y: f64::INFINITY,
            outer_width: f64::NAN,
            outer_height: -1.0,
        };
        assert_eq!(features(WindowOptions::default(), nan, w), "top=0,left=0,width=100,height=100,");
        // A usable screen but an unusable window: centred on the available area.
        assert_eq!(
            features(WindowOptions::default(), SCREEN_1080, w),
            "top=115,left=672,width=576,height=810,"
        );
    }
}
