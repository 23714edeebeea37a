//! The builder methods every HTTP-client adapter's signing middleware shares, written once: the
//! clock it signs with and its correction, and the largest body it reads to sign. Not public API
//! (hidden, for this workspace's adapters): a middleware has fields `clock: client::Clock` and,
//! with `body_limit`, `body_limit: usize`, and expands this inside its `impl`.

/// Writes `clock`, `without_clock_correction` and (with `body_limit`) `body_limit` for a client
/// adapter's signing middleware.
#[doc(hidden)]
#[macro_export]
macro_rules! __adapter_setters {
    (clock) => {
        /// Signs with `clock` (its bound, or a time source of the application's; clones of it
        /// share its correction) instead of the system clock.
        #[must_use]
        pub fn clock(mut self, clock: $crate::client::Clock) -> Self {
            self.clock = clock;
            self
        }

        /// Never corrects the clock: a refused timestamp is answered to the caller as it came.
        #[must_use]
        pub fn without_clock_correction(mut self) -> Self {
            self.clock = self.clock.without_correction();
            self
        }
    };
    (clock, body_limit) => {
        $crate::__adapter_setters!(clock);

        /// The largest body read into memory to be signed (a form, or a body under
        /// `oauth_body_hash`; default 16 MiB): a longer one is refused with
        /// [`SignError::BodyTooLarge`](oauth1_core::SignError::BodyTooLarge) and never sent.
        #[must_use]
        pub fn body_limit(mut self, bytes: usize) -> Self {
            self.body_limit = bytes;
            self
        }
    };
}
