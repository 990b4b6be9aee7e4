//! Property tests of the redirect flow's records (`redirect_flow::lookup`, `flow_id`, `key`,
//! `expired_before`): a result is delivered only for a `pending ` record of a well-formed flow
//! id (13 digits of its start time first) younger than `TTL_MS`, with the state it was recorded
//! with; everything else is refused as `InvalidState` with one of the module's messages; and
//! the clean-up cutoff orders record keys exactly as their start times, so it never removes a
//! record that could still deliver.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use smartcar_auth::error::Class;
use smartcar_auth::redirect_flow::{
    expired_before, flow_id, key, lookup, pending, Lookup, EXPIRED_FLOW, KEY_PREFIX, REUSED_FLOW, TTL_MS, UNKNOWN_FLOW, USED,
};
use smartcar_auth::state::ID_BYTES;

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

/// The largest start time an id can carry: 13 decimal digits of ms (the year 2286).
const MAX_MS: f64 = 9_999_999_999_999.0;

/// A time in an id's range, whole ms mostly (`Date.now()`), fractional sometimes.
fn time() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (0u64..=9_999_999_999_999).prop_map(|ms| ms as f64),
        2 => (1_600_000_000_000u64..2_000_000_000_000).prop_map(|ms| ms as f64),
        1 => 0.0..MAX_MS,
    ]
}

/// The start time `id` carries, as the rules read it: its first 13 characters, all digits.
fn started(id: &str) -> Option<f64> {
    let digits = id.as_bytes().get(..13)?;
    digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0.0, |n, &b| n * 10.0 + f64::from(b - b'0')))
}

/// Ids: real ones, and ones that are nearly (too short, a non-digit, another alphabet).
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (time(), any::<[u8; ID_BYTES]>()).prop_map(|(t, r)| flow_id(t, &r)),
        1 => "[0-9]{0,14}[0-9a-f]{0,32}",
        1 => "[0-9]{12}[^0-9][0-9a-f]{32}",
        1 => "[0-9١٢٣ ]{10,14}[0-9a-f]{0,32}",
        1 => any::<String>(),
    ]
}

/// Records: pending ones (with or without the app's state), used ones, and look-alikes.
fn record() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        3 => prop::option::of(any::<String>()).prop_map(|s| Some(pending(s.as_deref()))),
        1 => Just(Some(USED.to_owned())),
        1 => prop::sample::select(vec!["", "pending", "Pending {}", "used ", " pending {}", "pending\t{}", "usedpending ", "pending  "]).prop_map(|s| Some(s.to_owned())),
        1 => any::<String>().prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(cases(1024))]

    /// Delivered exactly when the record is pending, the id carries a start time and the flow
    /// is younger than the TTL; with the app's state as recorded (none when it recorded none).
    #[test]
    fn lookup_delivers_only_a_young_pending_flow(id in id(), stored in record(), now in prop_oneof![
        4 => time(),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, -1.0, MAX_MS + TTL_MS]),
    ]) {
        let got = lookup(&id, stored.as_deref(), now);
        let start = started(&id);
        let pending_state = stored.as_deref().and_then(|s| s.strip_prefix("pending "));
        let want_message = match (start, stored.as_deref()) {
            (None, _) | (_, None) => Some(UNKNOWN_FLOW),
            (Some(_), Some(USED)) => Some(REUSED_FLOW),
            (Some(_), Some(_)) if pending_state.is_none() => Some(UNKNOWN_FLOW),
            // Not younger than the TTL, NaN included.
            (Some(started), Some(_)) if (now - started).partial_cmp(&TTL_MS) != Some(std::cmp::Ordering::Less) => Some(EXPIRED_FLOW),
            _ => None,
        };
        match (got, want_message) {
            (Lookup::Deliver { original_state }, None) => {
                let (started, state) = (start.unwrap(), pending_state.unwrap());
                prop_assert!(now - started < TTL_MS);
                prop_assert_eq!(original_state.as_deref(), Some(state).filter(|s| !s.is_empty()));
            }
            (Lookup::Refuse(failure), Some(message)) => {
                prop_assert_eq!(failure.class, Class::InvalidState);
                prop_assert_eq!(&*failure.message, message);
            }
            (got, want) => prop_assert!(false, "{:?}, expected {:?}", got, want),
        }
    }

    /// A flow recorded at `start` (by the same tab, from `flow_id`) delivers its recorded
    /// state until the TTL has passed, and never after (so the properties above are not
    /// vacuous); a used record never delivers again.
    #[test]
    fn a_recorded_flow_delivers_until_it_expires(start in time(), age in prop_oneof![0.0..TTL_MS, TTL_MS..(2.0 * TTL_MS)], random in any::<[u8; ID_BYTES]>(), state in prop::option::of("[ -~]{1,40}")) {
        let id = flow_id(start, &random);
        prop_assert_eq!(id.len(), 13 + 2 * ID_BYTES);
        prop_assert_eq!(started(&id), Some(start.trunc()));
        let now = start.trunc() + age;
        let got = lookup(&id, Some(&pending(state.as_deref())), now);
        if age < TTL_MS {
            prop_assert_eq!(got, Lookup::Deliver { original_state: state });
        } else {
            prop_assert!(matches!(&got, Lookup::Refuse(f) if f.message == EXPIRED_FLOW), "{:?}", got);
        }
        prop_assert!(matches!(lookup(&id, Some(USED), now), Lookup::Refuse(f) if f.message == REUSED_FLOW));
    }

    /// Record keys sort as their start times do, and the clean-up cutoff at `now` lies exactly
    /// below the keys of flows that started no earlier than `now - TTL_MS` (whole ms).
    #[test]
    fn expired_before_orders_keys_as_their_times(a in time(), b in time(), now in time(), ra in any::<[u8; ID_BYTES]>(), rb in any::<[u8; ID_BYTES]>()) {
        let (ka, kb) = (key(&flow_id(a, &ra)), key(&flow_id(b, &rb)));
        prop_assert!(ka.starts_with(KEY_PREFIX));
        if a.trunc() < b.trunc() {
            prop_assert!(ka < kb, "{} !< {}", ka, kb);
        } else if a.trunc() > b.trunc() {
            prop_assert!(ka > kb, "{} !> {}", ka, kb);
        }

        let cutoff = expired_before(now);
        prop_assert_eq!(cutoff.len(), KEY_PREFIX.len() + 13);
        prop_assert!(cutoff.starts_with(KEY_PREFIX));
        let threshold = (now - TTL_MS).clamp(0.0, MAX_MS).trunc();
        prop_assert_eq!(ka < cutoff, a.trunc() < threshold, "{} vs {} at {}", ka, cutoff, now);
        if ka < cutoff {
            // What the clean-up removes can no longer deliver.
            let got = lookup(&flow_id(a, &ra), Some(&pending(None)), now);
            prop_assert!(matches!(&got, Lookup::Refuse(f) if f.message == EXPIRED_FLOW), "{:?}", got);
        }
    }

    /// The same at the boundary itself: flows that started a few ms either side of the cutoff.
    #[test]
    fn expired_before_is_exact_at_the_boundary(now in (TTL_MS + 3.0)..(MAX_MS - 3.0), delta in -3i64..=3, random in any::<[u8; ID_BYTES]>()) {
        let threshold = (now - TTL_MS).trunc();
        let start = threshold + delta as f64;
        let k = key(&flow_id(start, &random));
        prop_assert_eq!(k < expired_before(now), delta < 0, "started {} at {}", start, now);
    }
}
