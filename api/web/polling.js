// Polling that costs little: repeat while the page is visible, back off while it is hidden.
//
// The teacher's dashboard asks for the gradebook and the item analysis every few seconds. With a
// tab in the background nobody reads them, so each wait doubles (up to a minute) while
// document.visibilityState is "hidden", and the page asks at once when it is shown again.

/**
 * Call `tick` every `interval` ms while the page is visible; while hidden, wait twice as long after
 * each call, up to `maxHidden` ms; when the page becomes visible again, call it at once.
 * A call never overlaps the previous one. Returns a function that stops the polling.
 */
export function poll(tick, { interval = 4000, maxHidden = 60000 } = {}) {
  let delay = interval;
  let timer = null;
  let stopped = false;
  let running = false;
  const hidden = () => document.visibilityState === "hidden";
  const schedule = () => { if (!stopped) timer = window.setTimeout(run, delay); };
  async function run() {
    timer = null;
    if (stopped || running) return;
    running = true;
    try { await tick(); } catch { /* the tick shows its own errors; keep polling */ }
    running = false;
    delay = hidden() ? Math.min(maxHidden, delay * 2) : interval;
    schedule();
  }
  const onVisibility = () => {
    if (hidden() || stopped) return;
    delay = interval;
    if (timer !== null) {
      window.clearTimeout(timer);
      run();
    }
  };
  document.addEventListener("visibilitychange", onVisibility);
  schedule();
  return () => {
    stopped = true;
    if (timer !== null) window.clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
