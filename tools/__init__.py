"""Development tools shared by tests and benchmarks."""
