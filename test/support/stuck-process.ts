// A process with the api's watchdog that gets stuck on purpose (test/process-bounds.e2e-spec.ts):
// `loop` blocks its event loop for ever, `hang` never finishes its SIGTERM shutdown.
import { startProcessWatchdog } from '#logging';

const mode = process.argv[2];
startProcessWatchdog({
  shutdownGraceMs: Number(process.env.SHUTDOWN_GRACE_MS),
  eventLoopStallExitMs: Number(process.env.EVENT_LOOP_STALL_EXIT_MS),
  name: `stuck-${mode}`,
});
if (mode === 'hang') {
  process.on('SIGTERM', () => {
    process.stdout.write('shutting down\n');
    setInterval(() => {}, 1000); // a close that never completes
  });
  setInterval(() => {}, 1000);
  process.stdout.write('ready\n');
} else {
  process.stdout.write('ready\n');
  setTimeout(() => {
    for (;;) {
      // the runaway date loop, as a process sees it
    }
  }, 50);
}
