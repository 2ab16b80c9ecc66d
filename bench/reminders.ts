// The reminders benchmark: see bench/README or the issue; being written.
export {};
