//! Ctrl-C and SIGTERM during `--fix`: the files in flight are finished (each write is
//! atomic), no new file is started, and the run reports what it wrote before exiting.
//! A second signal exits at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit status of an interrupted run: 128 + SIGINT, as shells report it.
pub const EXIT_STATUS: u8 = 130;

/// Installs the handler. Only the first call installs one; a failure (another handler
/// already set) leaves the default, which ends the process: writes stay atomic either way.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_STATUS));
        }
    });
}

/// Whether a signal asked the run to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
