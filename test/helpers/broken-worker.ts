// A worker entry that cannot load: every task of its pool must fail at once, not hang.
throw new Error('this worker module fails to load');
